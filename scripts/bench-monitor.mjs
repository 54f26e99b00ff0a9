#!/usr/bin/env node
// npm run bench:monitor: `headroom monitor` in a 120x40 tmux terminal on a private PipeWire
// with `headroom start` running and two apps playing: its CPU (% of one core) and RSS over
// BENCH_SECONDS, with the bus idle (the apps play silence) and busy (they play), beside
// `monitor --json` on the same events (the cost of the connection alone) and the goals
// (≤ 2 % and ≤ 80 MB idle). Takes about 90 s. Needs `npm run build` first, and tmux.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cpuNs, statusKib } from './lib/proc-stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startPrivatePipewire } = await import(path.join(root, 'dist/orchestrator/sandbox/private-pipewire.js'));
const { floatWav } = await import(path.join(root, 'dist/offline/float-audio.js'));
const { poll } = await import(path.join(root, 'dist/orchestrator/process/poll.js'));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = 48000;
// headroom runs as a user runs it (bin/run.js with the Node flags of its first line), or with
// other flags to try on the monitor, e.g. BENCH_NODE_FLAGS='--max-semi-space-size=1'
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const bin = path.join(root, 'bin', 'run.js');
const tmux = (args) => execa('tmux', ['-L', `headroom-bench-${process.pid}`, ...args], { reject: false });

function wav(file, seconds, level) {
  const s = new Float32Array(seconds * RATE * 2);
  for (let i = 0; i < seconds * RATE; i++) s[2 * i] = s[2 * i + 1] = level * Math.sin((2 * Math.PI * 330 * i) / RATE);
  writeFileSync(file, floatWav(s, RATE, 2));
  return file;
}

/** CPU % of one core and RSS of a process over `seconds`. */
async function reading(pid, seconds) {
  const c0 = cpuNs(pid), t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const cpu = (100 * (cpuNs(pid) - c0)) / Number(process.hrtime.bigint() - t0);
  return { cpu, rssMib: statusKib(pid, 'VmRSS') / 1024, anonMib: statusKib(pid, 'RssAnon') / 1024 };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-bench-monitor-'));
const pw = await startPrivatePipewire();
const env = { ...pw.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' };
const apps = [];
let daemon, json;
try {
  daemon = execa(bin, ['start'], { env, reject: false, stdin: 'ignore' });
  const started = Date.now();
  await poll('headroom running', async () => (await execa(bin, ['status'], { env, reject: false })).exitCode === 0, 15_000, 200);
  const play = (name, level) => apps.push(execa('pw-play', ['--properties', `{ application.name = "${name}" }`, wav(path.join(dir, `${name}.wav`), 3 * SECONDS + 30, level)], { env, reject: false }));
  play('Quiet-App', 0);
  play('Silent-App', 0);
  const vars = Object.entries({ XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' }).map(([k, v]) => `${k}=${v}`);
  // its stderr to a file: a monitor that fails leaves its last words there
  const argv = [...(NODE_FLAGS.length > 0 ? [process.execPath, ...NODE_FLAGS] : []), bin, 'monitor'].map((a) => `'${a}'`).join(' ');
  await tmux(['new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40', 'env', ...vars, 'HEADROOM_DEBUG=1', 'sh', '-c', `exec ${argv} 2>'${path.join(dir, 'monitor.err')}'`]);
  // the node process itself (tmux's client names the same command line)
  const pid = await poll('the monitor', async () => {
    const r = await execa('pgrep', ['-f', `${bin} monitor$`], { reject: false });
    return r.stdout.split('\n').map(Number).find((p) => p > 0 && readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'node');
  }, 10_000, 100);
  // beside it, the reference: the same subscription with no screen (`monitor --json`)
  json = execa(bin, ['monitor', '--json'], { env, reject: false, stdout: 'ignore' });
  // idle as a screen left open is: the daemon past its first minute (the uptime then changes
  // once a minute) and the monitor past its start
  await sleep(Math.max(3000, started + 62_000 - Date.now()));
  const both = () => Promise.all([reading(pid, SECONDS), reading(json.pid, SECONDS)]);
  const idle = await both();
  // busy: an app plays, the meters and the table move
  play('Loud-App', 0.5);
  await sleep(3000);
  const busy = await both();
  // the screen is drawn: a monitor that cannot (its layout engine is WebAssembly, which
  // Node's --lite-mode or --jitless turns off) weighs less and proves nothing
  const pane = (await tmux(['capture-pane', '-p', '-t', 'bench'])).stdout;
  if (!pane.includes('Loud-App')) throw new Error(`the monitor's screen does not list the app playing:\n${pane}`);
  // RSS, and in brackets its part that is the process's own (RssAnon: not pages of the node
  // binary and libraries, which every node process on the machine shares)
  const cell = (r) => `${r.cpu.toFixed(2)} %, ${r.rssMib.toFixed(1)} MiB (own ${r.anonMib.toFixed(1)})`;
  const row = (what, [screen, ref], goal) => `| ${what} | ${cell(screen)} | ${cell(ref)} | ${goal} |`;
  console.log(`\nheadroom monitor, 120x40, over ${SECONDS} s (${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version})\n`);
  console.log('| bus | monitor: CPU (% of one core), RSS | `monitor --json` beside it | goal for the monitor |\n|---|---|---|---|');
  console.log(row('idle (apps playing silence)', idle, '≤ 2 %, ≤ 80 MB (76.3 MiB)'));
  console.log(row('busy (an app playing)', busy, '–'));
} catch (e) {
  if (existsSync(path.join(dir, 'monitor.err'))) console.error(`the monitor's stderr:\n${readFileSync(path.join(dir, 'monitor.err'), 'utf8')}`);
  throw e;
} finally {
  // q quits the monitor as a user does (a --cpu-prof in BENCH_NODE_FLAGS is written then)
  await tmux(['send-keys', '-t', 'bench', 'q']);
  await sleep(1000);
  await tmux(['kill-server']);
  for (const a of apps) a.kill('SIGTERM');
  json?.kill('SIGTERM');
  await Promise.all(apps.map((a) => a.catch(() => undefined)));
  daemon?.kill('SIGTERM');
  await daemon?.catch(() => undefined);
  await pw.stop();
  await rm(dir, { recursive: true, force: true });
}
