// The control socket for real (a Unix socket in a temp runtime dir), with a fake daemon behind it.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, request } from '../../../src/orchestrator/control/control-client.js';
import { socketPath } from '../../../src/orchestrator/control/control-paths.js';
import { ControlError, ControlServer } from '../../../src/orchestrator/control/control-server.js';
import type { EventData } from '../../../src/wire/control-protocol.js';

/** A payload the server passes on unread (it checks requests, not what the daemon publishes). */
const opaque = (data: object) => data as EventData<'meters/tick'>;

let env: NodeJS.ProcessEnv;
let dir: string;
let server: ControlServer | undefined;

/** A fake daemon's answer to profile.reload, the op these tests call: says who answered. */
const answer = (source: string) => ({ profile: 'default', source });
const reload = () => request('profile.reload', {}, env);

const hello = () => ({ type: 'hello' as const, protocol: 1, version: '0.0.0-test', pid: 4242, profile: 'default' });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-ctl-'));
  env = { XDG_RUNTIME_DIR: dir };
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function rawExchange(lines: string[]): Promise<unknown[]> {
  const s = net.createConnection(socketPath(env));
  s.setEncoding('utf8');
  let text = '';
  s.on('data', (d: string) => (text += d));
  await new Promise((r) => s.once('connect', r));
  for (const l of lines) s.write(l);
  await new Promise((r) => setTimeout(r, 150));
  s.destroy();
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

describe('ControlServer', () => {
  it('says hello first, answers requests, and keeps the directory 0700 and the socket 0600', async () => {
    server = await ControlServer.listen(env, hello, (r) => answer(r.op));
    expect((await stat(path.join(dir, 'headroom'))).mode & 0o777).toBe(0o700);
    expect((await stat(socketPath(env))).mode & 0o777).toBe(0o600);
    const c = await connect(env);
    expect(c.hello).toEqual(hello());
    c.socket.destroy();
    expect(await reload()).toEqual(answer('profile.reload'));
    // an answer that is not the op's shape is refused by the client, saying why
    await server.close();
    server = await ControlServer.listen(env, hello, () => ({ profile: 7 }));
    await expect(reload()).rejects.toThrow(/answer to profile\.reload .*"profile".*another version/);
  });

  it('answers garbage with typed errors and survives it', async () => {
    server = await ControlServer.listen(env, hello, (r) => {
      if (r.op === 'bypass.set') throw new ControlError('bad_params', 'needs on');
      if (r.op === 'route.list') throw new Error('boom');
      return answer('ok');
    });
    const got = await rawExchange([
      'nonsense\n', '{"id":"x","op":"$(rm -rf ~)"}\n', '{"id":1,"op":"bypass.set","params":{"on":true}}\n', '{"id":2,"op":"route.list"}\n',
      '{"id":3,"op":"profile.reload"}\n', '{"id":4,"op":"bypass.set"}\n',
    ]);
    expect(got.slice(1)).toMatchObject([
      { ok: false, id: null, error: { code: 'bad_json' } },
      { ok: false, id: 'x', error: { code: 'unknown_op' } },
      { ok: false, id: 1, error: { code: 'bad_params', message: 'needs on' } },
      { ok: false, id: 2, error: { code: 'internal', message: 'boom' } },
      { ok: true, id: 3, result: answer('ok') },
      // checked against the op's schema before any handler runs
      { ok: false, id: 4, error: { code: 'bad_params', message: 'bypass.set: "on" is missing' } },
    ]);
    expect(await reload()).toEqual(answer('ok'));
  });

  it('closes a connection that sends a line over 1 MiB, and goes on serving', async () => {
    server = await ControlServer.listen(env, hello, () => answer('ok'));
    const got = await rawExchange(['{"id":1,"op":"status","params":{"x":"' + 'a'.repeat(1024 * 1024 + 10)]);
    expect(got.at(-1)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await reload()).toEqual(answer('ok'));
  });

  it('replaces a stale socket and refuses a second live daemon, naming its pid', async () => {
    const first = await ControlServer.listen(env, hello, () => answer('first'));
    await expect(ControlServer.listen(env, hello, () => answer('second'))).rejects.toThrow('headroom is already running (pid 4242)');
    await first.close();
    // a socket file nobody listens on, as a killed daemon leaves it
    await writeFile(socketPath(env), '');
    server = await ControlServer.listen(env, hello, () => answer('fresh'));
    expect((await reload()).source).toBe('fresh');
  });

  it('tells a client when no daemon runs', async () => {
    await expect(request('status', {}, env)).rejects.toMatchObject({ code: 'not_running', exitCode: 3 });
  });

  it('delivers events by topic, and a client that does not read gets drops counted and an overflow event ahead of the next frame', async () => {
    server = await ControlServer.listen(env, hello, () => 'ok');
    const s = net.createConnection(socketPath(env));
    s.setEncoding('utf8');
    let text = '';
    s.on('data', (d: string) => (text += d));
    await new Promise((r) => s.once('connect', r));
    s.write('{"id":1,"op":"subscribe","params":{"topics":["meters/tick"]}}\n');
    s.write('{"id":2,"op":"subscribe","params":{"topics":["nonsense"]}}\n');
    await new Promise((r) => setTimeout(r, 100));
    server.publish('routing/stream_routed', { serial: 1, nodeId: 2, app: 'not subscribed', binary: null, pid: null, mediaName: null, route: 'direct', rule: 'user' });
    server.publish('meters/tick', opaque({ n: -1 }));
    await new Promise((r) => setTimeout(r, 100));
    let got = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; topic?: string; ok?: boolean; error?: { code: string } });
    expect(got.slice(1, 3)).toMatchObject([{ ok: true, result: { topics: ['meters/tick'] } }, { ok: false, error: { code: 'bad_params' } }]);
    expect(got.filter((m) => m.type === 'event').map((m) => m.topic)).toEqual(['meters/tick']);

    // a client that stops reading: the daemon keeps publishing, holds at most 64 lines for it
    s.pause();
    text = '';
    const big = 'x'.repeat(4096);
    for (let n = 0; n < 2000; n++) server.publish('meters/tick', opaque({ n, big }));
    s.resume();
    await new Promise((r) => setTimeout(r, 300));
    server.publish('meters/tick', opaque({ n: 'last', big }));
    await new Promise((r) => setTimeout(r, 200));
    got = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; topic?: string });
    const overflow = got.findIndex((m) => m.topic === 'daemon/overflow');
    expect(overflow).toBeGreaterThan(0);
    const report = (got[overflow] as unknown as { data: { dropped: Record<string, number> } }).data;
    const delivered = got.filter((m) => m.topic === 'meters/tick').length;
    expect(report.dropped['meters/tick']).toBe(2001 - delivered);
    expect(delivered).toBeLessThan(2001);
    s.destroy();
  });
});
