// The graph watcher against a real private PipeWire + WirePlumber.
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { appStreams } from '../../src/graph/streams.js';
import { GraphWatcher, type WatcherEvent } from '../../src/orchestrator/pipewire/graph-watcher.js';
import { poll } from '../../src/orchestrator/process/poll.js';
import { startPrivatePipewire, type PrivatePipewire } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { usePrivatePipewire } from './sandbox.js';
import { play, report, sine, writeSignal } from './audio.js';

const box = usePrivatePipewire();
let pw: PrivatePipewire;
let dir: string;
beforeEach(() => {
  ({ pw, dir } = box);
});

describe('GraphWatcher', () => {
  it('sees a stream appear with its app name, get linked, and go away', async () => {
    const w = new GraphWatcher(pw.env);
    try {
      await w.ready;
      expect(w.model.nodeByName(pw.speakers)).toBeDefined();
      const t0 = performance.now();
      const app = play(pw, writeSignal(path.join(dir, 'w.wav'), 1, sine(-30)), { name: 'watched-app', target: pw.speakers });
      const s = await poll('the stream in the model', () => appStreams(w.model).find((x) => x.app === 'watched-app'), 5000, 2);
      report('watcher: stream visible after (ms, from spawning pw-play)', Math.round(performance.now() - t0));
      await poll('its links', () => w.model.linksFrom(s.nodeId).length === 2, 5000, 5);
      expect(w.model.linksFrom(s.nodeId).every((l) => l.inputNode === w.model.nodeByName(pw.speakers)?.id)).toBe(true);
      await app.proc;
      await poll('the stream gone', () => !w.model.nodes.has(s.nodeId) || w.model.nodes.get(s.nodeId)?.serial !== s.serial, 5000, 5);
    } finally {
      await w.stop();
    }
  });

  it('reports the connection lost when PipeWire goes away', async () => {
    const own = await startPrivatePipewire();
    const w = new GraphWatcher(own.env);
    try {
      await w.ready;
      const lost = new Promise<WatcherEvent>((resolve) => w.on((e) => e.kind === 'lost' && resolve(e)));
      const t0 = Date.now();
      await own.stop();
      const e = await lost;
      expect(Date.now() - t0).toBeLessThan(5000);
      // said in words: pw-dump's exit status
      expect(e.kind === 'lost' && e.status).toMatch(/^(\d+|SIG[A-Z]+)/);
    } finally {
      await w.stop();
      await own.stop();
    }
  });
});
