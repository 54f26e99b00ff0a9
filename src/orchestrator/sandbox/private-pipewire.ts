// A private PipeWire + WirePlumber for tests and `headroom demo` (docs/architecture.md §3): own runtime,
// state and config dirs and own D-Bus session bus, so nothing of a real session is touched,
// plus a null sink that plays the part of the speakers. On request also pipewire-pulse, so
// PulseAudio-API apps (paplay, mpv, browsers) can play on it.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseDumpOnce } from '../../wire/pw-dump-stream.js';
import { HeadroomError } from '../../errors.js';
import { onPath, run, spawnDaemon, tail } from '../process/exec.js';
import { poll } from '../process/poll.js';

export interface PrivatePipewire {
  dir: string;
  /** The environment that points PipeWire clients at this instance. */
  env: NodeJS.ProcessEnv;
  speakers: string;
  /** Runs a PipeWire tool (pw-dump, pw-cli, pw-link, …) against this instance. */
  tool(argv: readonly string[], timeoutMs?: number): Promise<string>;
  /** WirePlumber stopped and started again (tests of what a session survives) */
  restartWireplumber(): Promise<void>;
  /** WirePlumber stopped, and started again (tests of a session without it) */
  stopWireplumber(): Promise<void>;
  startWireplumber(): Promise<void>;
  /** PipeWire and WirePlumber stopped and started again, the speakers recreated */
  restartPipewire(): Promise<void>;
  stop(): Promise<void>;
}

export interface PipewireObject {
  id: number;
  type: string;
  info?: { props?: Record<string, unknown>; state?: string; [k: string]: unknown } | null;
  props?: Record<string, unknown>;
  metadata?: unknown;
}

/** pw-dump, parsed. */
export async function dumpGraph(pw: Pick<PrivatePipewire, 'tool'>): Promise<PipewireObject[]> {
  return parseDumpOnce(await pw.tool(['pw-dump'])) as PipewireObject[];
}

export function nodeByName(graph: PipewireObject[], name: string): PipewireObject | undefined {
  return graph.find((o) => o.type === 'PipeWire:Interface:Node' && o.info?.props?.['node.name'] === name);
}

/** What a private PipeWire runs, and what plays and records on it. */
const PROGRAMS = ['dbus-daemon', 'pipewire', 'wireplumber', 'pw-cli', 'pw-dump', 'pw-play', 'pw-record'];

/** Whether a unix socket takes a connection (it exists a moment before it listens). */
function accepts(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(socket, () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });
}

async function requirePrograms(programs: readonly string[]): Promise<void> {
  const missing = [];
  for (const p of programs) if (!(await onPath(p))) missing.push(p);
  if (missing.length > 0)
    throw new HeadroomError('tool_missing', `a private PipeWire needs ${missing.join(', ')}, and ${missing.length === 1 ? 'it is' : 'they are'} not installed`, {
      hint: `Install them: sudo apt-get install pipewire pipewire-bin wireplumber dbus${programs.includes('pipewire-pulse') ? ' pipewire-pulse' : ''} (or, in a clone: bash scripts/install-deps.sh)`,
    });
}

export interface PrivatePipewireOptions {
  speakers?: string;
  /** also run pipewire-pulse (its socket in $XDG_RUNTIME_DIR/pulse/native) */
  pulse?: boolean;
}

export async function startPrivatePipewire(opts: PrivatePipewireOptions = {}): Promise<PrivatePipewire> {
  await requirePrograms(opts.pulse ? [...PROGRAMS, 'pipewire-pulse'] : PROGRAMS);
  const speakers = opts.speakers ?? 'speakers';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-pw-'));
  const runtime = path.join(dir, 'run');
  await mkdir(runtime);
  await chmod(runtime, 0o700);
  await mkdir(path.join(dir, 'state'));
  await mkdir(path.join(dir, 'config'));
  const bus = path.join(runtime, 'bus');
  const pulseSocket = path.join(runtime, 'pulse', 'native');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    XDG_RUNTIME_DIR: runtime,
    XDG_STATE_HOME: path.join(dir, 'state'),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${bus}`,
    PIPEWIRE_DEBUG: '1',
    // PulseAudio clients look there by themselves; said explicitly, none can find another server
    ...(opts.pulse ? { PULSE_SERVER: `unix:${pulseSocket}` } : {}),
  };
  const tool = (argv: readonly string[], timeoutMs = 10_000) => run(argv, { env, timeoutMs });
  type Daemon = 'dbus' | 'pipewire' | 'pulse' | 'wireplumber';
  const daemons = new Map<Daemon, ReturnType<typeof spawnDaemon>>();
  const end = async (name: Daemon) => {
    const d = daemons.get(name);
    daemons.delete(name);
    d?.kill('SIGTERM');
    await d;
  };

  const stop = async () => {
    for (const name of ['wireplumber', 'pulse', 'pipewire', 'dbus'] as const) await end(name);
    await rm(dir, { recursive: true, force: true });
  };
  /** A start that did not come up, with what the program said. */
  const said = (name: string) => async (e: Error) => {
    const log = tail(await readFile(path.join(dir, `${name}.log`), 'utf8').catch(() => ''));
    throw new HeadroomError('command_failed', `${e.message}${log ? `; ${name} said: ${log}` : ` (${name} printed nothing)`}`, { exitCode: 1, hint: 'See: headroom doctor' });
  };
  const startPipewire = async () => {
    daemons.set('pipewire', spawnDaemon(['pipewire'], path.join(dir, 'pipewire.log'), { env }));
    await poll('the PipeWire socket', async () => existsSync(path.join(runtime, 'pipewire-0')) && (await tool(['pw-cli', 'info', '0']).then(() => true, () => false)), 10_000).catch(said('pipewire'));
    await tool([
      'pw-cli', 'create-node', 'adapter',
      `{ factory.name=support.null-audio-sink node.name=${speakers} node.description=Speakers media.class=Audio/Sink object.linger=true audio.position=[FL FR] }`,
    ]);
  };
  // after the speakers exist, so its module-always-sink adds no sink of its own
  const startPulse = async () => {
    if (!opts.pulse) return;
    await rm(pulseSocket, { force: true });
    daemons.set('pulse', spawnDaemon(['pipewire-pulse'], path.join(dir, 'pipewire-pulse.log'), { env }));
    await poll('the pipewire-pulse socket', () => accepts(pulseSocket), 10_000).catch(said('pipewire-pulse'));
  };
  const startWireplumber = async () => {
    daemons.set('wireplumber', spawnDaemon(['wireplumber'], path.join(dir, 'wireplumber.log'), { env }));
    // WirePlumber is up when it has published the default metadata (it does once a sink exists)
    await poll('WirePlumber', async () => (await dumpGraph({ tool })).some((o) => o.type === 'PipeWire:Interface:Metadata' && o.props?.['metadata.name'] === 'default'), 10_000, 50).catch(said('wireplumber'));
  };

  try {
    daemons.set('dbus', spawnDaemon(['dbus-daemon', '--session', '--nofork', `--address=unix:path=${bus}`], path.join(dir, 'dbus.log'), { env }));
    await poll('the D-Bus session bus', () => existsSync(bus), 10_000).catch(said('dbus'));
    await startPipewire();
    await startPulse();
    await startWireplumber();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    dir, env, speakers, tool, stop,
    async restartWireplumber() {
      await end('wireplumber');
      await startWireplumber();
    },
    stopWireplumber: () => end('wireplumber'),
    startWireplumber,
    async restartPipewire() {
      await end('wireplumber');
      await end('pulse');
      await end('pipewire');
      await startPipewire();
      await startPulse();
      await startWireplumber();
    },
  };
}
