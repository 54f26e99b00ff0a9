#!/usr/bin/env node
// npm run bench:all: every benchmark, one after the other, each printing its table with the
// goal beside each figure, under a header that names the machine and the stack (the date,
// the CPU, the distribution, PipeWire's and WirePlumber's versions, Node's). A benchmark
// that fails is named at the end and the exit code is 1; the others still run.
// Needs `npm run build` first (bench:all runs it).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES = [
  ['DSP and CLI (npm run bench)', 'bench.mjs'],
  ['filter-host on a private PipeWire (npm run bench:live)', 'bench-filter-host.mjs'],
  ['supervisor on a private PipeWire (npm run bench:supervisor)', 'bench-supervisor.mjs'],
  ['monitor in a terminal (npm run bench:monitor)', 'bench-monitor.mjs'],
];

const version = async (cmd, args) => {
  const lines = (await execa(cmd, args, { reject: false })).stdout.split('\n');
  return (lines.find((l) => l.startsWith('Linked with')) ?? lines.find((l) => /\d+\.\d+/.test(l)))?.trim() ?? `${cmd}: not found`;
};
const release = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? 'unknown';
console.log(`# headroom benchmarks, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
console.log(`${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${release}`);
console.log(`${await version('pipewire', ['--version'])}; ${await version('wireplumber', ['--version'])}; Node ${process.version}\n`);

const failed = [];
for (const [title, script] of BENCHES) {
  console.log(`## ${title}\n`);
  const r = await execa(process.execPath, [path.join(root, 'scripts', script)], { stdio: 'inherit', reject: false });
  if (r.exitCode !== 0) failed.push(`${script} (exit ${r.exitCode})`);
  console.log('');
}
if (failed.length > 0) {
  console.log(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
