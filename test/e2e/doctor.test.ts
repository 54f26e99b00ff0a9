// `headroom doctor` against a real private PipeWire: all well (the running engine's real-time
// scheduling read off its threads); what a daemon killed with -9
// really leaves (stale socket, journal, the bus promoted to WirePlumber's remembered default)
// and what WirePlumber's own list still holds after `stop --restore`; a stream target saved by
// the running WirePlumber (0.4's restore-stream or 0.5's stream-properties) and in each format;
// no PipeWire running; no PipeWire installed.
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { headroom } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { sine, writeSignal } from './audio.js';
import { usePrivatePipewire, useSession } from './sandbox.js';
import { savedStreams } from './wireplumber-saved.js';

const box = usePrivatePipewire();
const session = useSession(box);

interface Check { name: string; status: string; detail: string; fix?: string }
const doctor = async (env: NodeJS.ProcessEnv) => {
  const r = await headroom(['doctor', '--json'], env);
  const out = JSON.parse(r.stdout) as { checks: Check[]; ok: boolean };
  expect(schemaErrors('output.doctor', out)).toEqual([]); // as docs/schema/control.json says
  return { code: r.code, ...out };
};
const check = (checks: Check[], name: string) => checks.find((c) => c.name === name);
const warnings = (checks: Check[]) => checks.filter((c) => c.status !== 'ok').map((c) => c.name).sort();

describe('headroom doctor', () => {
  it('all well; what a killed daemon leaves, each with its fix; after stop --restore only what WirePlumber keeps itself', async () => {
    const { pw, dir } = box;
    const good = await doctor(pw.env);
    expect(good.code).toBe(0);
    expect(good.ok).toBe(true);
    // the versions installed here (0.3.65 / 0.4.13 on Debian 12, 1.4.2 / 0.5.8 on Debian 13), both tested ones
    const linked = async (tool: string) => /Linked with lib\w+ ([\d.]+)/.exec((await execa(tool, ['--version'], { env: pw.env })).stdout)?.[1];
    const [pwVersion, wpVersion] = [await linked('pw-cli'), await linked('wireplumber')];
    expect(pwVersion).toMatch(/^(0\.3\.(6[5-9]|[7-9]\d)|1\.[0-4])\b/);
    expect(wpVersion).toMatch(/^0\.[45]\./);
    expect(check(good.checks, 'pipewire')).toEqual({ name: 'pipewire', status: 'ok', detail: `running (libpipewire ${pwVersion})` });
    expect(check(good.checks, 'wireplumber')).toEqual({ name: 'wireplumber', status: 'ok', detail: `running (${wpVersion})` });
    expect(check(good.checks, 'filter-host')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/headroom-filter-host runs$/) });
    expect(check(good.checks, 'daemon')).toMatchObject({ status: 'ok', detail: 'not running' });
    expect(warnings(good.checks)).toEqual([]);

    const app = session.play(writeSignal(path.join(dir, 'doc.wav'), 30, sine(-20)), { name: 'doctor-app' });
    await app.node();
    const daemon = session.daemon(['--auto-promote']);
    const defaults = path.join(pw.env.XDG_STATE_HOME!, 'wireplumber', 'default-nodes');
    await daemon.running();
    const live = await doctor(pw.env);
    expect(check(live.checks, 'daemon')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^running \(pid \d+, profile default\)$/) });
    // measured on the running engine, and told as ps sees its threads' scheduling classes
    const engine = (await execa('pgrep', ['-P', String(daemon.proc.pid), '-f', 'headroom-filter-host'])).stdout.trim();
    const classes = (await execa('ps', ['-L', '-o', 'cls=', '-p', engine])).stdout.split('\n').map((c) => c.trim());
    expect(check(live.checks, 'real-time')).toEqual(classes.some((c) => c === 'FF' || c === 'RR')
      ? { name: 'real-time', status: 'ok', detail: expect.stringMatching(/^the engine's audio thread runs SCHED_(FIFO|RR), priority \d+$/) }
      : { name: 'real-time', status: 'warn', detail: expect.stringContaining("the engine's audio thread has no real-time priority"), fix: expect.stringContaining('rtkit') });
    await poll('WirePlumber remembering the bus as the default', () => readFileSync(defaults, 'utf8').includes('default.configured.audio.sink=headroom-processed'), 5000, 50);
    daemon.proc.kill('SIGKILL');
    await daemon.proc;

    const left = await doctor(pw.env);
    expect(left.code).toBe(0); // warnings, nothing broken
    expect(warnings(left.checks)).toEqual(['daemon', 'default output', 'leftovers']);
    expect(check(left.checks, 'daemon')).toMatchObject({ detail: expect.stringContaining('stale socket'), fix: 'Remove it: headroom stop --restore (headroom start replaces it too)' });
    expect(check(left.checks, 'leftovers')).toMatchObject({ detail: expect.stringMatching(/^a journal of headroom pid \d+: 1 stream target\(s\), (1 stream volume\(s\), )?your default output to give back$/), fix: 'Undo it: headroom stop --restore' });
    expect(check(left.checks, 'default output')?.fix).toContain('headroom stop --restore');

    expect((await headroom(['stop', '--restore'], pw.env)).code).toBe(0);
    await poll('WirePlumber no longer pinning the bus', () => !readFileSync(defaults, 'utf8').includes('default.configured.audio.sink=headroom-processed'), 5000, 50);
    const after = await doctor(pw.env);
    expect(after.code).toBe(0);
    if (wpVersion!.startsWith('0.4.')) {
      // what 0.4 keeps is its own list of earlier defaults: only it writes that
      expect(warnings(after.checks)).toEqual(['default output']);
      expect(check(after.checks, 'default output')).toMatchObject({ detail: expect.stringContaining("list of earlier default outputs names headroom-processed"), fix: expect.stringContaining('With WirePlumber stopped') });
      writeFileSync(defaults, readFileSync(defaults, 'utf8').split('\n').filter((l) => !l.endsWith('=headroom-processed')).join('\n'));
      expect(warnings((await doctor(pw.env)).checks)).toEqual([]);
    } else {
      // 0.5 rewrites the whole list when the configured default is unset again (it was unset before --auto-promote)
      expect(warnings(after.checks)).toEqual([]);
      expect(readFileSync(defaults, 'utf8')).not.toContain('headroom-processed');
    }
  });

  it('a stream target WirePlumber saved (its own file), and one in each version\'s format; stop --restore tells of it', async () => {
    const { pw, dir } = box;
    // a stream moved to a sink named headroom-processed by serial, as pavucontrol moves one: WirePlumber remembers it
    await pw.tool(['pw-cli', 'create-node', 'adapter', '{ factory.name=support.null-audio-sink node.name=headroom-processed media.class=Audio/Sink object.linger=true audio.position=[FL FR] }']);
    const app = session.play(writeSignal(path.join(dir, 'moved.wav'), 30, sine(-20)), { name: 'doctor-moved' });
    const node = await app.node();
    const sink = JSON.parse(await pw.tool(['pw-dump', 'Node'])) as { id: number; info?: { props?: Record<string, unknown> } }[];
    const serial = sink.find((o) => o.info?.props?.['node.name'] === 'headroom-processed')?.info?.props?.['object.serial'];
    await pw.tool(['pw-metadata', String(node.id), 'target.object', String(serial)]);
    const remembered = async () => (await savedStreams(pw)).streams.find((s) => s.key === 'Output/Audio:media.role:role-doctor-moved')?.target === 'headroom-processed';
    await poll('WirePlumber remembering the move', remembered, 5000, 50);
    const { file } = await savedStreams(pw);
    expect(check((await doctor(pw.env)).checks, 'wireplumber state')).toEqual({
      name: 'wireplumber state', status: 'warn',
      detail: `1 saved stream target(s) name headroom-processed (${path.join(pw.env.XDG_STATE_HOME!, 'wireplumber', file)}: Output/Audio:media.role:role-doctor-moved)`,
      fix: `With WirePlumber stopped (systemctl --user stop wireplumber), delete the lines of those streams from ${path.join(pw.env.XDG_STATE_HOME!, 'wireplumber', file)}`,
    });
    app.proc.kill('SIGTERM');
    await app.proc;
    // the app is gone: no stream to clear it through; stop --restore removes the sink and tells
    const stop = await headroom(['stop', '--restore', '--json'], pw.env);
    expect(JSON.parse(stop.stdout)).toMatchObject({ sinkRemoved: true, rememberedTargets: ['Output/Audio:media.role:role-doctor-moved'] });

    // each version's format, whichever runs here (a state dir of its own: the running WirePlumber rewrites its file when it likes)
    // (with what an older headroom left of its own nodes: the bus sink and the engine's streams of old)
    const formats = {
      'restore-stream': '[restore-stream]\nOutput/Audio:media.role:x:volume=1.0\nOutput/Audio:media.role:x:target=headroom-processed\nOutput/Audio:media.role:y:target=speakers\nAudio/Sink:node.name:headroom-processed:volume=1.0\nInput/Audio:application.name:headroom:volume=1.0\n',
      'stream-properties': '[stream-properties]\nOutput/Audio:media.role:x={"volume":1.0, "target":"headroom-processed"}\nOutput/Audio:media.role:y={"target":"speakers"}\nAudio/Sink:node.name:headroom-processed={"volume":1.0}\nInput/Audio:application.name:headroom={"volume":1.0}\n',
    };
    const stale = { 'restore-stream': 'Audio/Sink:node.name:headroom-processed, Input/Audio:application.name:headroom', 'stream-properties': 'Audio/Sink:node.name:headroom-processed, Input/Audio:application.name:headroom' };
    for (const [name, text] of Object.entries(formats)) {
      const state = path.join(dir, `state-${name}`);
      mkdirSync(path.join(state, 'wireplumber'), { recursive: true });
      writeFileSync(path.join(state, 'wireplumber', name), text);
      const saved = await doctor({ ...pw.env, XDG_STATE_HOME: state });
      expect(saved.code).toBe(0);
      expect(check(saved.checks, 'wireplumber state')).toMatchObject({ status: 'warn', detail: `1 saved stream target(s) name headroom-processed (${path.join(state, 'wireplumber', name)}: Output/Audio:media.role:x)` });
      expect(check(saved.checks, 'headroom in wp state')).toMatchObject({ status: 'warn', detail: `an older headroom left its own nodes in WirePlumber's memory (${path.join(state, 'wireplumber', name)}: ${stale[name as keyof typeof stale]})`, fix: expect.stringContaining('With WirePlumber stopped') });
    }
  });

  it('no PipeWire running; no PipeWire installed', async () => {
    const { pw } = box;

    const none = await doctor({ ...pw.env, PIPEWIRE_REMOTE: 'nobody-here' });
    expect(none.code).toBe(1);
    expect(none.ok).toBe(false);
    expect(check(none.checks, 'pipewire')).toMatchObject({ status: 'fail', fix: expect.stringContaining('systemctl --user start pipewire') });
    expect(check(none.checks, 'wireplumber')).toMatchObject({ status: 'fail', detail: 'not running: it needs PipeWire first' });

    const bare = await doctor({ ...pw.env, PATH: '/nonexistent' });
    expect(bare.code).toBe(1);
    expect(check(bare.checks, 'tools')).toMatchObject({ status: 'fail', detail: 'not on PATH: pw-dump, pw-metadata, pw-link, pw-cli' });
    expect(check(bare.checks, 'pipewire')).toMatchObject({ status: 'fail', detail: 'not installed', fix: expect.stringContaining('apt-get install pipewire') });
    expect(check(bare.checks, 'wireplumber')).toMatchObject({ status: 'fail', detail: expect.stringContaining('not installed') });
  });
});
