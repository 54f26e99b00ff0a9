// Per-file fixtures of the end-to-end suites: one private PipeWire + WirePlumber and a
// temp dir for the file, the daemon as a user runs it, filter-hosts and apps torn down
// after each test.
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { GraphModel } from '../../src/graph/model.js';
import { GraphWatcher } from '../../src/orchestrator/pipewire/graph-watcher.js';
import { FilterHostProcess, type FilterHostOptions } from '../../src/orchestrator/engine/filter-host-process.js';
import { dumpGraph, startPrivatePipewire, type PrivatePipewire, type PrivatePipewireOptions } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { poll } from '../../src/orchestrator/process/poll.js';
import { isEngine } from '../../src/policy/link-plan.js';
import { ROOT } from '../helpers/cli.js';
import { play, playWith, type App, type RealClient } from './audio.js';

export interface Sandbox {
  pw: PrivatePipewire;
  dir: string;
}

/** Registers beforeAll/afterAll for a private PipeWire; read it inside tests. */
export function usePrivatePipewire(opts: PrivatePipewireOptions = {}): Sandbox {
  const box = {} as Sandbox;
  beforeAll(async () => {
    box.pw = await startPrivatePipewire(opts);
    box.dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-e2e-'));
  });
  afterAll(async () => {
    await box.pw?.stop();
    if (box.dir) await rm(box.dir, { recursive: true, force: true });
  });
  return box;
}

/** Filter-hosts and apps started through these are killed after each test. */
export function useFilterHosts(box: Sandbox) {
  const running: FilterHostProcess[] = [];
  const apps: App[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) {
      a.proc.kill('SIGTERM');
      await a.proc;
    }
    for (const fh of running.splice(0)) {
      fh.kill('SIGKILL');
      await fh.exited;
    }
  });
  return {
    async filterHost(opts: Partial<FilterHostOptions> = {}) {
      const fh = await FilterHostProcess.start({ target: box.pw.speakers, env: box.pw.env, ...opts });
      running.push(fh);
      return fh;
    },
    app(file: string, name: string, target = 'headroom-processed', latency?: string) {
      const a = play(box.pw, file, { name, target, latency });
      apps.push(a);
      return a;
    },
  };
}

/** Daemons, apps and graph watchers started through these are stopped after each test: the
 * daemon first (SIGTERM: it hands its apps back; SIGKILL if it has not ended in 15 s), then
 * the apps, then the watchers. */
export function useSession(box: Sandbox) {
  const daemons: Daemon[] = [];
  const apps: App[] = [];
  const watchers: GraphWatcher[] = [];
  afterEach(async () => {
    for (const d of daemons.splice(0)) {
      d.proc.kill('SIGTERM');
      const t = setTimeout(() => d.proc.kill('SIGKILL'), 15_000);
      await d.proc;
      clearTimeout(t);
    }
    for (const a of apps.splice(0)) {
      a.proc.kill('SIGTERM');
      await a.proc;
    }
    for (const w of watchers.splice(0)) await w.stop().catch(() => undefined);
  }, 30_000);
  const track = (a: App) => (apps.push(a), a);
  return {
    /** `headroom start` as a user runs it (see startDaemon) */
    daemon(flags: string[] = []) {
      const d = startDaemon(box.pw, flags);
      daemons.push(d);
      return d;
    },
    play: (file: string, opts: Parameters<typeof play>[2]) => track(play(box.pw, file, opts)),
    playWith: (client: RealClient, file: string, name: string) => track(playWith(box.pw, client, file, name)),
    /** the graph as headroom sees it, kept up to date (pw-dump --monitor) */
    async watch() {
      const w = new GraphWatcher(box.pw.env);
      watchers.push(w);
      await w.ready;
      return w;
    },
  };
}

/** A daemon started by startDaemon. */
export type Daemon = ReturnType<typeof startDaemon>;

/** `headroom start` as a user runs it, its stderr collected. */
export function startDaemon(pw: PrivatePipewire, flags: string[] = []) {
  const proc = execa(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'start', '--log-level', 'debug', ...flags], {
    env: { ...pw.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' },
    reject: false,
    buffer: false,
    stdin: 'ignore',
  });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const isRunning = () => log.includes('headroom running');
  /** Resolves once the daemon has routed and runs; a daemon that does not, fails with its log. */
  const running = () =>
    poll('headroom running', isRunning, 10_000).catch((e: Error) => {
      throw new Error(`${e.message}; daemon log: ${log}`);
    });
  return { proc, log: () => log, isRunning, running };
}

/** The stream (by serial) plays into that sink and nowhere else — links into headroom's
 * own Layer A taps are listening, not playing, and do not count. */
export function playsOnlyInto(m: GraphModel, serial: number, sinkName: string): boolean {
  const n = m.nodeBySerial(serial);
  const sink = m.nodeByName(sinkName);
  const links = n ? m.linksFrom(n.id).filter((l) => !isEngine(m, l.inputNode)) : [];
  return sink !== undefined && links.length > 0 && links.every((l) => l.inputNode === sink.id);
}

/** A node's Props as PipeWire has them now (a fresh pw-dump, not a monitor's last word). */
export async function nodeProps(pw: PrivatePipewire, nodeId: number): Promise<{ volume: number; channelVolumes: number[]; softVolumes: number[] } | undefined> {
  const info = (await dumpGraph(pw)).find((o) => o.id === nodeId)?.info as { params?: { Props?: { volume: number; channelVolumes: number[]; softVolumes: number[] }[] } } | undefined;
  const p = info?.params?.Props?.[0];
  return p && { volume: p.volume, channelVolumes: p.channelVolumes, softVolumes: p.softVolumes };
}
