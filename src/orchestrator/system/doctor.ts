// `headroom doctor`: what headroom needs and what a killed run may have left, each check
// with what it found and how to fix it. Read-only: it changes nothing.
import { access, readdir, readFile } from 'node:fs/promises';
import { constants as fs } from 'node:fs';
import { dsp } from '../../native/dsp.js';
import { filterHostPath } from '../../native/filter-host-binary.js';
import { GraphModel } from '../../graph/model.js';
import { connect, request } from '../control/control-client.js';
import type { DaemonStatus } from '../../wire/control-protocol.js';
import { socketPath } from '../control/control-paths.js';
import { onPath, run } from '../process/exec.js';
import { readJournal } from '../state/route-journal.js';
import { BUS_SINK } from '../../wire/node-names.js';
import { pipewireVersionProblem, SUPPORTED, wireplumberVersionProblem } from '../pipewire/supported-versions.js';
import { readSavedDefaults, readSavedStreams } from '../pipewire/wireplumber-state.js';
import { parseDumpOnce } from '../../wire/pw-dump-stream.js';
import type { Check } from '../../wire/command-outputs.js';


const TOOLS = ['pw-dump', 'pw-metadata', 'pw-link', 'pw-cli'];

async function exists(p: string): Promise<boolean> {
  return access(p, fs.F_OK).then(() => true, () => false);
}

/** "0.3.65" from the `Linked with libpipewire 0.3.65` line of a tool's --version. */
async function linkedVersion(argv: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const out = await run(argv, { env, timeoutMs: 3000 }).catch(() => '');
  return /Linked with lib\w+ ([\d.]+)/.exec(out)?.[1];
}

const RT_FIX = 'Install RTKit (sudo apt-get install rtkit) and log in again, or give your user an rtprio limit in /etc/security/limits.d';

/** The fields of /proc/PID/stat after the command name (field 3 first). */
async function statFields(file: string): Promise<{ comm: string; rest: string[] } | undefined> {
  const stat = await readFile(file, 'utf8').catch(() => '');
  const close = stat.lastIndexOf(')');
  return close < 0 ? undefined : { comm: stat.slice(stat.indexOf('(') + 1, close), rest: stat.slice(close + 2).split(' ') };
}

/** The running engine: the daemon's child named headroom-filter-host. */
async function enginePid(daemonPid: number): Promise<number | undefined> {
  for (const e of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(e)) continue;
    const f = await statFields(`/proc/${e}/stat`);
    if (f && f.comm.startsWith('headroom-filter') && Number(f.rest[1]) === daemonPid) return Number(e);
  }
  return undefined;
}

/** The engine's real-time thread (its audio thread), if one has a real-time policy. */
async function realtimeThread(pid: number): Promise<{ policy: string; priority: number } | undefined> {
  let best: { policy: string; priority: number } | undefined;
  for (const t of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const f = await statFields(`/proc/${pid}/task/${t}/stat`);
    const priority = Number(f?.rest[40 - 3]), policy = Number(f?.rest[41 - 3]); // rt_priority, policy
    if ((policy === 1 || policy === 2) && priority > (best?.priority ?? -1)) best = { policy: policy === 1 ? 'SCHED_FIFO' : 'SCHED_RR', priority };
  }
  return best;
}

/** Whether the audio thread runs real-time: measured on the running engine, or else what
 * this user would get (an rtprio limit, root, or RTKit for PipeWire to ask). */
async function realtimeCheck(daemonPid: number | undefined): Promise<Check> {
  const engine = daemonPid === undefined ? undefined : await enginePid(daemonPid);
  if (engine !== undefined) {
    const rt = await realtimeThread(engine);
    return rt
      ? { name: 'real-time', status: 'ok', detail: `the engine's audio thread runs ${rt.policy}, priority ${rt.priority}` }
      : { name: 'real-time', status: 'warn', detail: "the engine's audio thread has no real-time priority: audio may crackle under load", fix: RT_FIX };
  }
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const rtprio = Number(/Max realtime priority\s+(\d+)/.exec(limits)?.[1] ?? 0);
  if (rtprio > 0) return { name: 'real-time', status: 'ok', detail: `allowed (RLIMIT_RTPRIO ${rtprio})` };
  if (process.getuid?.() === 0) return { name: 'real-time', status: 'ok', detail: 'allowed (running as root)' };
  for (const rtkit of ['/usr/libexec/rtkit-daemon', '/usr/lib/rtkit/rtkit-daemon'])
    if (await exists(rtkit)) return { name: 'real-time', status: 'ok', detail: 'RTKit is installed: PipeWire asks it for real-time priority' };
  return { name: 'real-time', status: 'warn', detail: 'no real-time priority allowed (RLIMIT_RTPRIO 0) and no RTKit: audio may crackle under load', fix: RT_FIX };
}

/** The running daemon's own word on whether sound can flow (its health). */
async function soundCheck(env: NodeJS.ProcessEnv): Promise<Check> {
  try {
    const { health } = (await request('status', {}, env)) as DaemonStatus;
    if (health.state === 'ok') return { name: 'sound', status: 'ok', detail: 'the daemon says sound can flow' };
    return { name: 'sound', status: 'fail', detail: `sound cannot flow: ${health.reasons.map((r) => r.message).join('; ')}`, fix: [...new Set(health.reasons.map((r) => r.hint))].join('; ') };
  } catch (e) {
    return { name: 'sound', status: 'warn', detail: `the daemon did not answer: ${(e as Error).message}`, fix: 'Restart it: headroom stop, then headroom start' };
  }
}

/** An entry for one of headroom's own nodes, which this headroom no longer leaves behind: the
 * bus sink, the taps, and the two streams the engine once was (0.4 kept those). */
export function staleOwnKey(key: string): boolean {
  return /:node\.name:headroom-/.test(key) || /:application\.name:headroom$/.test(key);
}

export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (c: Check) => checks.push(c);

  const missing = [];
  for (const t of TOOLS) if (!(await onPath(t, env.PATH))) missing.push(t);
  add(missing.length === 0
    ? { name: 'tools', status: 'ok', detail: `${TOOLS.join(', ')} on PATH` }
    : { name: 'tools', status: 'fail', detail: `not on PATH: ${missing.join(', ')}`, fix: 'Install them: sudo apt-get install pipewire-bin' });

  let model: GraphModel | undefined;
  try {
    model = new GraphModel();
    model.apply(parseDumpOnce(await run(['pw-dump'], { env, timeoutMs: 5000 })));
    const version = await linkedVersion(['pw-cli', '--version'], env);
    const problem = pipewireVersionProblem(version);
    add(problem
      ? { name: 'pipewire', status: 'warn', detail: `running (libpipewire ${version}): ${problem}`, fix: `Upgrade PipeWire and WirePlumber: headroom is tested on ${SUPPORTED}` }
      : { name: 'pipewire', status: 'ok', detail: `running (libpipewire ${version ?? '?'})` });
  } catch {
    model = undefined;
    add(await onPath('pipewire', env.PATH)
      ? { name: 'pipewire', status: 'fail', detail: 'no PipeWire answers on this session', fix: 'Start it: systemctl --user start pipewire pipewire-pulse wireplumber' }
      : { name: 'pipewire', status: 'fail', detail: 'not installed', fix: 'Install it: sudo apt-get install pipewire pipewire-bin wireplumber' });
  }
  if (!(await onPath('wireplumber', env.PATH)))
    add({ name: 'wireplumber', status: 'fail', detail: 'not installed: nothing would link apps to outputs', fix: 'Install it: sudo apt-get install wireplumber' });
  else if (!model)
    add({ name: 'wireplumber', status: 'fail', detail: 'not running: it needs PipeWire first', fix: 'Start PipeWire (above); WirePlumber starts with it' });
  else {
    const wp = [...model.clients.values()].some((c) => /wireplumber/i.test(String(c.props['application.name'] ?? '')));
    const version = wp ? await linkedVersion(['wireplumber', '--version'], env) : undefined;
    const problem = wireplumberVersionProblem(version);
    add(!wp
      ? { name: 'wireplumber', status: 'fail', detail: 'not connected to PipeWire: nothing will link apps to outputs', fix: 'Start it: systemctl --user start wireplumber' }
      : problem
        ? { name: 'wireplumber', status: 'warn', detail: `running (${version}): ${problem}`, fix: `headroom is tested on ${SUPPORTED}` }
        : { name: 'wireplumber', status: 'ok', detail: `running (${version ?? 'version unknown'})` });
  }

  try {
    const fh = filterHostPath();
    await access(fh, fs.X_OK);
    // runnable: it loads (libpipewire found) and answers
    const usage = await run([fh, '--help'], { env, timeoutMs: 3000 });
    if (!usage.startsWith('usage:')) throw new Error(`${fh} --help did not answer with its usage`);
    add({ name: 'filter-host', status: 'ok', detail: `${fh} runs` });
  } catch (e) {
    add({ name: 'filter-host', status: 'fail', detail: (e as Error).message, fix: 'Build it: npm run build:native (needs libpipewire-0.3-dev)' });
  }
  try {
    dsp();
    add({ name: 'dsp addon', status: 'ok', detail: 'loads' });
  } catch (e) {
    add({ name: 'dsp addon', status: 'fail', detail: (e as Error).message, fix: 'Build it: npm run build:native' });
  }

  // the daemon: live, stale, or none; and what a killed one may have left
  let live = false;
  let daemonPid: number | undefined;
  if (await exists(socketPath(env))) {
    try {
      const c = await connect(env, 1000);
      c.socket.destroy();
      live = true;
      daemonPid = c.hello.pid;
      add({ name: 'daemon', status: 'ok', detail: `running (pid ${c.hello.pid}, profile ${c.hello.profile})` });
    } catch {
      add({ name: 'daemon', status: 'warn', detail: `a stale socket at ${socketPath(env)} (a killed daemon)`, fix: 'Remove it: headroom stop --restore (headroom start replaces it too)' });
    }
  } else add({ name: 'daemon', status: 'ok', detail: 'not running' });
  if (live) add(await soundCheck(env));
  add(await realtimeCheck(daemonPid));
  if (!live) {
    const j = await readJournal(env);
    if (j) {
      const left = [`${j.targets.length} stream target(s)`, ...(j.volumes?.length ? [`${j.volumes.length} stream volume(s)`] : []), ...(j.promotedFrom !== undefined ? ['your default output'] : [])];
      add({ name: 'leftovers', status: 'warn', detail: `a journal of headroom pid ${j.pid}: ${left.join(', ')} to give back`, fix: 'Undo it: headroom stop --restore' });
    }
    else if (model?.nodeByName(BUS_SINK)) add({ name: 'leftovers', status: 'warn', detail: `the ${BUS_SINK} sink is there with no daemon`, fix: 'Remove it: headroom stop --restore' });
    else add({ name: 'leftovers', status: 'ok', detail: 'none' });
  }
  // WirePlumber 0.4 writes restore-stream, 0.5 stream-properties: a stream remembered with the bus as its target
  const saved = (await readSavedStreams(env)).map((f) => ({ file: f.file, keys: f.streams.filter((st) => st.target === BUS_SINK).map((st) => st.key) })).filter((f) => f.keys.length > 0);
  const count = saved.reduce((n, f) => n + f.keys.length, 0);
  add(count === 0
    ? { name: 'wireplumber state', status: 'ok', detail: 'no stream remembers a headroom target' }
    : { name: 'wireplumber state', status: 'warn', detail: `${count} saved stream target(s) name ${BUS_SINK} (${saved.map((f) => `${f.file}: ${f.keys.join(', ')}`).join('; ')})`, fix: `With WirePlumber stopped (systemctl --user stop wireplumber), delete the lines of those streams from ${saved.map((f) => f.file).join(' and ')}` });
  // headroom's own nodes are not remembered by this version (the engine is one node, no
  // stream): any entry of theirs was left by an older headroom
  const leftBehind = (await readSavedStreams(env)).map((f) => ({ file: f.file, keys: f.streams.map((st) => st.key).filter((k) => staleOwnKey(k)) })).filter((f) => f.keys.length > 0);
  add(leftBehind.length === 0
    ? { name: 'headroom in wp state', status: 'ok', detail: "WirePlumber remembers nothing of headroom's own nodes that it could be told not to" }
    : { name: 'headroom in wp state', status: 'warn', detail: `an older headroom left its own nodes in WirePlumber's memory (${leftBehind.map((f) => `${f.file}: ${f.keys.join(', ')}`).join('; ')})`, fix: `With WirePlumber stopped (systemctl --user stop wireplumber), delete the lines that start with those keys from ${leftBehind.map((f) => f.file).join(' and ')}, then start it` });
  // --auto-promote makes the bus the configured default while headroom runs. With no daemon,
  // WirePlumber would keep choosing a sink that is not there; and its fallback list keeps the
  // bus after the choice is given back, so WirePlumber makes the bus the default output
  // whenever headroom runs again (measured on 0.4.13; 0.5.8 dropped the whole list when the
  // choice given back was "unset"). Only WirePlumber writes that list.
  if (!live) {
    const defaults = await readSavedDefaults(env);
    if (defaults.sink === BUS_SINK)
      add({ name: 'default output', status: 'warn', detail: `WirePlumber remembers ${BUS_SINK} as your default output, with no headroom running`, fix: 'headroom stop --restore gives your choice back while its journal is there; or pick your output: wpctl status, then wpctl set-default ID' });
    else if (defaults.earlierSinks.includes(BUS_SINK))
      add({ name: 'default output', status: 'warn', detail: `WirePlumber's list of earlier default outputs names ${BUS_SINK} (${defaults.file}): while headroom runs, WirePlumber will make it your default`, fix: `With WirePlumber stopped (systemctl --user stop wireplumber), delete the default.configured.audio.sink.N=${BUS_SINK} lines from ${defaults.file}` });
  }
  return checks;
}
