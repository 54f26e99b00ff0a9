#!/usr/bin/env node
// npm run bench: the DSP and CLI benchmarks of the foundation, side by side with their
// references, on one generated 10-minute 48 kHz stereo programme.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'headroom-bench-'));
const sh = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
};

try {
  sh('make', ['-s', '-C', path.join(root, 'native', 'filter-host'), 'build/bench-dsp']);
  const raw = path.join(tmp, 'programme.f32');
  const dspResult = JSON.parse(sh(path.join(root, 'native', 'filter-host', 'build', 'bench-dsp'), [raw]));

  // the same programme as a float32 WAV
  const wav = path.join(tmp, 'programme.wav');
  const data = readFileSync(raw);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + data.length, 4); header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); header.writeUInt16LE(3, 20); header.writeUInt16LE(2, 22);
  header.writeUInt32LE(48000, 24); header.writeUInt32LE(48000 * 8, 28); header.writeUInt16LE(8, 32); header.writeUInt16LE(32, 34);
  header.write('data', 36); header.writeUInt32LE(data.length, 40);
  const fd = openSync(wav, 'w'); writeSync(fd, header); writeSync(fd, data); closeSync(fd);

  const time = (cmd, args) => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      sh(cmd, args, { env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' } });
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return best;
  };
  const ours = time(path.join(root, 'bin', 'run.js'), ['analyze', wav, '--json']); // as a user runs it
  const ffmpeg = time('ffmpeg', ['-nostdin', '-v', 'error', '-i', wav, '-af', 'ebur128=peak=true', '-f', 'null', '-']);

  const m = dspResult.meter, c = dspResult.chain;
  const rows = [
    ['(a) meter I+LRA+TP, 10 min', `${m.oursSeconds.toFixed(3)} s`, `libebur128 ${m.libebur128Seconds.toFixed(3)} s`, `${m.speedup.toFixed(2)}x faster`, '>= 8x'],
    ['(b) bus chain', `${c.nsPerFrame.toFixed(1)} ns/frame`, '-', `${c.realtimeFactor}x real time`, '>= 1000x'],
    ['(c) headroom analyze, whole process', `${ours.toFixed(3)} s`, `ffmpeg ebur128 ${ffmpeg.toFixed(3)} s`, `${(ffmpeg / ours).toFixed(2)}x faster`, '>= 3x'],
  ];
  console.log('| benchmark | headroom | reference | ratio | goal |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nmeter readings: ours I ${m.ours.I} LUFS, LRA ${m.ours.LRA} LU, TP ${m.ours.TP} dBTP; libebur128 I ${m.libebur128.I} LUFS, LRA ${m.libebur128.LRA} LU, TP ${m.libebur128.TP} dBTP`);
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, node ${process.version}; best of 3 runs`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
