// The bus follows the user's output device while `headroom start` runs.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { isEngine } from '../../src/policy/link-plan.js';
import { headroom } from '../helpers/cli.js';
import { report, sine, writeSignal } from './audio.js';
import { usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);

describe('headroom start, output switched', () => {
  it('moves the bus to the newly chosen default sink within 200 ms', async () => {
    const { pw } = box;
    const watcher = await session.watch();
    const m = watcher.model;
    const daemon = session.daemon();
    await daemon.running();
    await pw.tool(['pw-cli', 'create-node', 'adapter', '{ factory.name=support.null-audio-sink node.name=headphones media.class=Audio/Sink object.linger=true audio.position=[FL FR] }']);
    await poll('the headphones', () => m.nodeByName('headphones'), 5000, 5);
    const outputTo = (name: string) => {
      const out = m.nodeByName('headroom-engine');
      const sink = m.nodeByName(name);
      return !!out && !!sink && m.linksFrom(out.id).some((l) => l.inputNode === sink.id);
    };
    expect(outputTo(pw.speakers)).toBe(true);
    const t0 = performance.now();
    await pw.tool(['pw-metadata', '0', 'default.configured.audio.sink', '{"name":"headphones"}', 'Spa:String:JSON']);
    await poll('the bus on the headphones', () => outputTo('headphones'), 5000, 1).catch((e: Error) => {
      throw new Error(`${e.message}\ndaemon log (tail):\n${daemon.log().split('\n').slice(-20).join('\n')}`);
    });
    const ms = Math.round(performance.now() - t0);
    report('output switch: bus linked to the new default after (ms)', ms);
    // in about half of the sessions pw-metadata --monitor gets no update at all (PipeWire
    // 0.3.65 here): the daemon then reads the metadata afresh once the pw-metadata above
    // has left PipeWire, and is as quick
    expect(ms).toBeLessThan(200);
    // the link can be there before the engine's event of it reaches the daemon
    await poll('the daemon says so', () => daemon.log().includes('the bus now plays into headphones'), 2000, 5);
    const st = JSON.parse((await headroom(['status', '--json'], pw.env)).stdout) as { sinks: { preferred: string } };
    expect(st.sinks.preferred).toBe('headphones');
  });

  it('--auto-promote: new apps start in the bus (never on the speakers), and the default comes back on stop', async () => {
    const { pw, dir } = box;
    const configured = async () => (await pw.tool(['pw-metadata', '-n', 'default', '0', 'default.configured.audio.sink'])).split('\n').find((l) => l.startsWith('update:')) ?? 'unset';
    await pw.tool(['pw-metadata', '-n', 'default', '0', 'default.configured.audio.sink', `{"name":"${pw.speakers}"}`, 'Spa:String:JSON']);
    const before = await configured();
    const watcher = await session.watch();
    const m = watcher.model;
    const daemon = session.daemon(['--auto-promote']);
    await daemon.running();
    expect(await configured()).toContain('"name":"headroom-processed"');
    const seen = new Set<string>();
    const off = watcher.on(() => {
      for (const n of m.nodes.values())
        if (n.props['application.name'] === 'promoted-app') for (const l of m.linksFrom(n.id)) if (!isEngine(m, l.inputNode)) seen.add(String(m.nodes.get(l.inputNode)?.props['node.name']));
    });
    const app = session.play(writeSignal(path.join(dir, 'promoted.wav'), 1.5, sine(-20)), { name: 'promoted-app' });
    await app.proc;
    off();
    expect([...seen], `links seen; daemon log:\n${daemon.log()}`).toEqual(['headroom-processed']);
    daemon.proc.kill('SIGTERM');
    expect((await daemon.proc).exitCode).toBe(0);
    expect(await configured(), `the default after stop; daemon log:\n${daemon.log()}`).toBe(before);
  });

  it('--auto-promote then kill -9: `stop --restore` gives the default sink back', async () => {
    const { pw } = box;
    const configured = async () => (await pw.tool(['pw-metadata', '-n', 'default', '0', 'default.configured.audio.sink'])).split('\n').find((l) => l.startsWith('update:')) ?? 'unset';
    await pw.tool(['pw-metadata', '-n', 'default', '0', 'default.configured.audio.sink', `{"name":"${pw.speakers}"}`, 'Spa:String:JSON']);
    const before = await configured();
    const daemon = session.daemon(['--auto-promote']);
    await daemon.running();
    daemon.proc.kill('SIGKILL');
    await daemon.proc;
    expect(await configured()).toContain('"name":"headroom-processed"');
    const r = await headroom(['stop', '--restore', '--json'], pw.env);
    expect(JSON.parse(r.stdout)).toMatchObject({ journalFound: true, defaultRestored: true, sinkRemoved: true });
    expect(await configured()).toBe(before);
  });
});
