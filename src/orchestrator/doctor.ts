// `headroom doctor`: what headroom needs and what a killed run may have left, each check
// with what it found and how to fix it. Read-only: it changes nothing.
import { access, readFile } from 'node:fs/promises';
import { constants as fs } from 'node:fs';
import path from 'node:path';
import { dsp } from '../native/dsp.js';
import { filterHostPath } from '../native/filter-host-binary.js';
import { GraphModel } from '../graph/model.js';
import { connect } from './control-client.js';
import { socketPath } from './control-paths.js';
import { onPath, run } from './exec.js';
import { readJournal } from './route-journal.js';
import { BUS_SINK } from './router.js';
import { parseDumpOnce } from '../wire/pw-dump-stream.js';

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** what to do about it (warn and fail) */
  fix?: string;
}

const TOOLS = ['pw-dump', 'pw-metadata', 'pw-link', 'pw-cli'];

async function exists(p: string): Promise<boolean> {
  return access(p, fs.F_OK).then(() => true, () => false);
}

/** "0.3.65" from the `Linked with libpipewire 0.3.65` line of a tool's --version. */
async function linkedVersion(argv: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const out = await run(argv, { env, timeoutMs: 3000 }).catch(() => '');
  return /Linked with lib\w+ ([\d.]+)/.exec(out)?.[1];
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
    add({ name: 'pipewire', status: 'ok', detail: `running (libpipewire ${(await linkedVersion(['pw-cli', '--version'], env)) ?? '?'})` });
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
    add(wp
      ? { name: 'wireplumber', status: 'ok', detail: `running (${(await linkedVersion(['wireplumber', '--version'], env)) ?? 'version unknown'})` }
      : { name: 'wireplumber', status: 'fail', detail: 'not connected to PipeWire: nothing will link apps to outputs', fix: 'Start it: systemctl --user start wireplumber' });
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

  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const rtprio = Number(/Max realtime priority\s+(\d+)/.exec(limits)?.[1] ?? 0);
  add(rtprio > 0 || process.getuid?.() === 0
    ? { name: 'real-time', status: 'ok', detail: rtprio > 0 ? `RLIMIT_RTPRIO ${rtprio}` : 'running as root' }
    : { name: 'real-time', status: 'warn', detail: 'no real-time priority allowed (RLIMIT_RTPRIO 0): the engine relies on RTKit, and may glitch under load', fix: 'Install rtkit, or add yourself to the pipewire group with an rtprio limit (/etc/security/limits.d)' });

  // the daemon: live, stale, or none; and what a killed one may have left
  let live = false;
  if (await exists(socketPath(env))) {
    try {
      const c = await connect(env, 1000);
      c.socket.destroy();
      live = true;
      add({ name: 'daemon', status: 'ok', detail: `running (pid ${c.hello.pid}, profile ${c.hello.profile})` });
    } catch {
      add({ name: 'daemon', status: 'warn', detail: `a stale socket at ${socketPath(env)} (a killed daemon)`, fix: 'Remove it: headroom stop --restore (headroom start replaces it too)' });
    }
  } else add({ name: 'daemon', status: 'ok', detail: 'not running' });
  if (!live) {
    const j = await readJournal(env);
    if (j) {
      const left = [`${j.targets.length} stream target(s)`, ...(j.volumes?.length ? [`${j.volumes.length} stream volume(s)`] : []), ...(j.promotedFrom !== undefined ? ['your default output'] : [])];
      add({ name: 'leftovers', status: 'warn', detail: `a journal of headroom pid ${j.pid}: ${left.join(', ')} to give back`, fix: 'Undo it: headroom stop --restore' });
    }
    else if (model?.nodeByName(BUS_SINK)) add({ name: 'leftovers', status: 'warn', detail: `the ${BUS_SINK} sink is there with no daemon`, fix: 'Remove it: headroom stop --restore' });
    else add({ name: 'leftovers', status: 'ok', detail: 'none' });
  }
  const wpState = path.join(env.XDG_STATE_HOME || path.join(env.HOME ?? '', '.local', 'state'), 'wireplumber');
  const lines = async (file: string) => (await readFile(path.join(wpState, file), 'utf8').catch(() => '')).split('\n');
  const saved = (await lines('restore-stream')).filter((l) => /:target/.test(l) && l.includes(BUS_SINK));
  add(saved.length === 0
    ? { name: 'wireplumber state', status: 'ok', detail: 'no stream remembers a headroom target' }
    : { name: 'wireplumber state', status: 'warn', detail: `${saved.length} saved stream target(s) name ${BUS_SINK} (${path.join(wpState, 'restore-stream')})`, fix: `With WirePlumber stopped, delete those lines from ${path.join(wpState, 'restore-stream')}` });
  // --auto-promote makes the bus the configured default while headroom runs. With no daemon,
  // WirePlumber would keep choosing a sink that is not there; and its fallback list keeps the
  // bus after the choice is given back, so WirePlumber makes the bus the default output
  // whenever headroom runs again (measured on 0.4.13). Only WirePlumber writes that list.
  if (!live) {
    const defaults = path.join(wpState, 'default-nodes');
    const nodes = await lines('default-nodes');
    if (nodes.includes(`default.configured.audio.sink=${BUS_SINK}`))
      add({ name: 'default output', status: 'warn', detail: `WirePlumber remembers ${BUS_SINK} as your default output, with no headroom running`, fix: 'headroom stop --restore gives your choice back while its journal is there; or pick your output: wpctl status, then wpctl set-default ID' });
    else if (nodes.some((l) => /^default\.configured\.audio\.sink\.\d+=/.test(l) && l.endsWith(`=${BUS_SINK}`)))
      add({ name: 'default output', status: 'warn', detail: `WirePlumber's list of earlier default outputs names ${BUS_SINK} (${defaults}): while headroom runs, WirePlumber will make it your default`, fix: `With WirePlumber stopped (systemctl --user stop wireplumber), delete the default.configured.audio.sink.N=${BUS_SINK} lines from ${defaults}` });
  }
  return checks;
}
