#!/usr/bin/env node
// start-players.mjs FILE PREFIX N: starts N pw-play of FILE at once, as apps PREFIX0..PREFIX(N-1)
// (each its own media role), and ends them all when it is told to end.
import { spawn } from 'node:child_process';

const [file, prefix, count] = process.argv.slice(2);
const players = Array.from({ length: Number(count) }, (_, i) =>
  spawn('pw-play', ['--properties', `{ application.name = "${prefix}${i}" node.name = "${prefix}${i}" }`, '--media-role', `role-${prefix}${i}`, file], { stdio: 'ignore' }),
);
const end = () => {
  for (const p of players) p.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGTERM', end);
process.on('SIGINT', end);
await Promise.all(players.map((p) => new Promise((r) => p.on('exit', r))));
