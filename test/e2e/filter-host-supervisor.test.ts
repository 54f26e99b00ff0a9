// Restarts, crash loops and fail-safe of the filter-host supervisor, with a real
// filter-host on a private PipeWire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilterHostSupervisor, type SupervisorEvent } from '../../src/orchestrator/engine/filter-host-supervisor.js';
import { createLogger } from '../../src/orchestrator/process/log.js';
import { poll } from '../../src/orchestrator/process/poll.js';
import { startPrivatePipewire, type PrivatePipewire } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { report } from './audio.js';

let pw: PrivatePipewire;
const logLines: string[] = [];
const log = createLogger('debug', (l) => logLines.push(l));

beforeAll(async () => {
  pw = await startPrivatePipewire();
});

afterAll(async () => {
  await pw?.stop();
});

function nextEvent(sup: FilterHostSupervisor, kind: SupervisorEvent['kind'], timeoutMs = 5000): Promise<SupervisorEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${kind} within ${timeoutMs} ms`)), timeoutMs);
    const off = sup.on((e) => {
      if (e.kind === kind) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

describe('FilterHostSupervisor', () => {
  it('restarts a killed filter-host within a second, with its settings re-applied', async () => {
    const sup = new FilterHostSupervisor({ target: pw.speakers, env: pw.env, log, setup: () => [{ kind: 'bypass', on: true }] });
    await sup.start();
    try {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const pid = sup.current?.pid;
        const back = nextEvent(sup, 'ready');
        const t0 = performance.now();
        sup.current?.kill('SIGKILL');
        await back;
        times.push(Math.round(performance.now() - t0));
        expect(sup.current?.pid).not.toBe(pid);
      }
      report('supervisor: filter-host back after kill -9 (ms)', times);
      expect(Math.max(...times)).toBeLessThan(1000);
      expect(sup.restarts).toBe(3);
      expect(sup.state).toBe('running');
      const meter = await sup.current!.waitFor((f) => f.kind === 'meter');
      expect(meter.kind === 'meter' && meter.bypass).toBe(true);
      expect(logLines.some((l) => l.startsWith('<4>filter-host exited: SIGKILL (killed)'))).toBe(true);
    } finally {
      const exit = await sup.stop();
      expect(exit?.code).toBe(0);
    }
  });

  it('a restart continues at the AGC gain, compressor and limiter reduction of the one before, also when that one never played', async () => {
    const sup = new FilterHostSupervisor({ target: pw.speakers, env: pw.env, log });
    // as if the engine before had turned a loud app down and was compressing and limiting it
    sup.last = { agcGainDb: -9, compressorReductionDb: 4.5, limiterReductionDb: 1.25 };
    await sup.start();
    try {
      for (let i = 0; i < 2; i++) {
        // nothing plays: each engine only reports what it was started with
        const meter = await sup.current!.waitFor((f) => f.kind === 'meter');
        expect(meter.kind === 'meter' && [meter.agcGainDb, meter.compressorReductionDb, meter.limiterReductionDb]).toEqual([-9, 4.5, 1.25]);
        const back = nextEvent(sup, 'ready');
        sup.current?.kill('SIGKILL');
        await back;
      }
      expect(sup.last).toEqual({ agcGainDb: -9, compressorReductionDb: 4.5, limiterReductionDb: 1.25 });
    } finally {
      await sup.stop();
    }
  });

  it('fails safe on a crash loop and keeps retrying slowly', async () => {
    const sup = new FilterHostSupervisor({
      target: pw.speakers,
      env: pw.env,
      log,
      policy: { firstDelayMs: 10, maxDelayMs: 50, crashLimit: 3, windowMs: 10_000, slowRetryMs: 700, healthyAfterMs: 1000 },
    });
    await sup.start();
    try {
      const failed = nextEvent(sup, 'failed-safe');
      for (let i = 0; i < 3; i++) {
        await poll('a running filter-host', () => sup.state === 'running' && sup.current, 5000, 5);
        sup.current?.kill('SIGKILL');
        await nextEvent(sup, 'crashed');
      }
      await failed;
      expect(sup.state).toBe('failed-safe');
      expect(logLines.some((l) => l.startsWith('<3>filter-host crashed 3 times in a row: failing safe'))).toBe(true);
      await nextEvent(sup, 'ready', 3000); // the slow retry brings it back
      expect(sup.state).toBe('running');
    } finally {
      await sup.stop();
    }
  });
});
