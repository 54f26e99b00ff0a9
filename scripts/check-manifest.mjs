#!/usr/bin/env node
// CI: the committed oclif.manifest.json says what the build makes of the commands. oclif
// writes the commands in the order it finds them, so the two are compared key-sorted.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const sorted = (v) =>
  Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;
const committed = JSON.parse(execFileSync('git', ['show', 'HEAD:oclif.manifest.json'], { encoding: 'utf8' }));
const built = JSON.parse(readFileSync('oclif.manifest.json', 'utf8'));
if (JSON.stringify(sorted(committed)) !== JSON.stringify(sorted(built))) {
  console.error('check-manifest: oclif.manifest.json is stale: run npm run build and commit it');
  process.exitCode = 1;
}
