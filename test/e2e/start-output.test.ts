// The bus follows the user's output device while `headroom start` runs.
import { describe, expect, it } from 'vitest';
import { GraphWatcher } from '../../src/orchestrator/graph-watcher.js';
import { poll } from '../../src/orchestrator/poll.js';
import { headroom } from '../helpers/cli.js';
import { report } from './audio.js';
import { startDaemon, usePrivatePipewire } from './sandbox.js';

const box = usePrivatePipewire();

describe('headroom start, output switched', () => {
  it('moves the bus to the newly chosen default sink within 200 ms', async () => {
    const { pw } = box;
    const watcher = new GraphWatcher(pw.env);
    await watcher.ready;
    const m = watcher.model;
    const daemon = startDaemon(pw);
    try {
      await poll('headroom running', () => daemon.log().includes('headroom running'), 10_000);
      await pw.tool(['pw-cli', 'create-node', 'adapter', '{ factory.name=support.null-audio-sink node.name=headphones media.class=Audio/Sink object.linger=true audio.position=[FL FR] }']);
      await poll('the headphones', () => m.nodeByName('headphones'), 5000, 5);
      const outputTo = (name: string) => {
        const out = m.nodeByName('headroom-output');
        const sink = m.nodeByName(name);
        return !!out && !!sink && m.linksFrom(out.id).some((l) => l.inputNode === sink.id);
      };
      expect(outputTo(pw.speakers)).toBe(true);
      const t0 = performance.now();
      await pw.tool(['pw-metadata', '0', 'default.configured.audio.sink', '{"name":"headphones"}', 'Spa:String:JSON']);
      await poll('the bus on the headphones', () => outputTo('headphones'), 5000, 1);
      const ms = Math.round(performance.now() - t0);
      report('output switch: bus linked to the new default after (ms)', ms);
      expect(ms).toBeLessThan(200);
      expect(daemon.log()).toContain('the bus now plays into headphones');
      const st = JSON.parse((await headroom(['status', '--json'], pw.env)).stdout) as { sinks: { preferred: string } };
      expect(st.sinks.preferred).toBe('headphones');
    } finally {
      daemon.proc.kill('SIGTERM');
      await daemon.proc;
      await watcher.stop();
    }
  });
});
