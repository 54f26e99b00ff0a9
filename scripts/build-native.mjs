#!/usr/bin/env node
// Builds the native parts with no network: the N-API addon (always) against the headers
// of the running Node, and the PipeWire filter-host when libpipewire-0.3 is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

// Node's own headers ship under <prefix>/include/node; pointing node-gyp there avoids a download.
function nodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return undefined;
}

const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const args = [gyp, 'rebuild', '--directory', path.join(root, 'native', 'addon'), '-j', 'max'];
const dir = nodeDir();
if (dir) args.push(`--nodedir=${dir}`);
else console.warn('build-native: Node headers not found next to node; node-gyp will try to download them');
if (run(process.execPath, args) !== 0) {
  console.error('build-native: the N-API addon failed to build (needs python3, make and a C/C++ compiler)');
  process.exit(1);
}

const hasPipewire = spawnSync('pkg-config', ['--exists', 'libpipewire-0.3']).status === 0;
if (!hasPipewire) {
  console.warn('build-native: libpipewire-0.3 not found; skipping the filter-host. Install it with: sudo apt-get install libpipewire-0.3-dev libspa-0.2-dev');
}
const target = hasPipewire ? 'all' : 'dsp';
if (run('make', ['-s', '-C', path.join(root, 'native', 'filter-host'), target]) !== 0) process.exit(1);
