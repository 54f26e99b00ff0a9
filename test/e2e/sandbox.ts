// Per-file fixtures of the end-to-end suites: one private PipeWire + WirePlumber and a
// temp dir for the file, the daemon as a user runs it, filter-hosts and apps torn down
// after each test.
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { GraphModel } from '../../src/graph/model.js';
import { FilterHostProcess, type FilterHostOptions } from '../../src/orchestrator/filter-host-process.js';
import { dumpGraph, startPrivatePipewire, type PrivatePipewire, type PrivatePipewireOptions } from '../../src/orchestrator/private-pipewire.js';
import { ROOT } from '../helpers/cli.js';
import { play, type App } from './audio.js';

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
  return { proc, log: () => log };
}

/** The stream (by serial) plays into that sink and nowhere else — links into headroom's
 * own Layer A taps are listening, not playing, and do not count. */
export function playsOnlyInto(m: GraphModel, serial: number, sinkName: string): boolean {
  const n = m.nodeBySerial(serial);
  const sink = m.nodeByName(sinkName);
  const links = n ? m.linksFrom(n.id).filter((l) => m.nodes.get(l.inputNode)?.props['headroom.node'] !== 'tap') : [];
  return sink !== undefined && links.length > 0 && links.every((l) => l.inputNode === sink.id);
}

/** A node's Props as PipeWire has them now (a fresh pw-dump, not a monitor's last word). */
export async function nodeProps(pw: PrivatePipewire, nodeId: number): Promise<{ volume: number; channelVolumes: number[] } | undefined> {
  const info = (await dumpGraph(pw)).find((o) => o.id === nodeId)?.info as { params?: { Props?: { volume: number; channelVolumes: number[] }[] } } | undefined;
  return info?.params?.Props?.[0];
}

export interface SavedStream {
  volume?: number;
  channelVolumes?: number[];
  target?: string;
}

/** What WirePlumber remembers of each output stream key (`Output/Audio:media.role:role-x`):
 * 0.4 writes one `key:prop=value` line per prop to restore-stream, 0.5 one `key={json}`
 * line to stream-properties (DESIGN §3a). */
export function savedStreams(pw: PrivatePipewire): Map<string, SavedStream> {
  const dir = path.join(pw.env.XDG_STATE_HOME!, 'wireplumber');
  const saved = new Map<string, SavedStream>();
  for (const file of ['restore-stream', 'stream-properties']) {
    if (!existsSync(path.join(dir, file))) continue;
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n').filter((l) => l.startsWith('Output/Audio:'))) {
      const eq = line.indexOf('=');
      const [key, value] = [line.slice(0, eq), line.slice(eq + 1)];
      if (value.startsWith('{')) {
        const j = JSON.parse(value) as SavedStream;
        saved.set(key, { volume: j.volume, channelVolumes: j.channelVolumes, target: j.target });
        continue;
      }
      const c = key.lastIndexOf(':');
      const [stream, prop] = [key.slice(0, c), key.slice(c + 1)];
      const s = saved.get(stream) ?? {};
      if (prop === 'volume') s.volume = Number(value);
      else if (prop === 'channelVolumes') s.channelVolumes = value.split(';').filter(Boolean).map(Number);
      else if (prop.startsWith('target')) s.target = value;
      saved.set(stream, s);
    }
  }
  return saved;
}
