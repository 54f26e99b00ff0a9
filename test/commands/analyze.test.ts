import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tone } from '../native/signals.js';
import { headroom } from '../helpers/cli.js';
import { encodeWav } from '../helpers/wav-encode.js';
import { schemaErrors } from '../helpers/json-schema.js';

let dir: string;
const FIELDS = ['path', 'sampleRate', 'channels', 'durationSeconds', 'integratedLufs', 'loudnessRangeLu', 'momentaryMaxLufs', 'shortTermMaxLufs', 'samplePeakDbfs', 'truePeakDbtp'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-analyze-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function wav(name: string, ...args: Parameters<typeof encodeWav>) {
  const p = path.join(dir, name);
  await writeFile(p, encodeWav(...args));
  return p;
}

describe('headroom analyze', () => {
  it.each(['s16', 's24', 's32', 'f32', 'f64', 'u8'] as const)('reads %s WAV and reports exactly the documented JSON fields', async (format) => {
    const sig = tone(48000, 2, [{ seconds: 5, dbfs: -23 }]);
    const p = await wav(`tone-${format}.wav`, sig.samples, 48000, 2, format);
    const r = await headroom(['analyze', p, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(schemaErrors('output.analyze', out)).toEqual([]); // as docs/schema/control.json says
    expect(Object.keys(out)).toEqual(['files']);
    expect(Object.keys(out.files[0])).toEqual(FIELDS);
    expect(out.files[0]).toMatchObject({ path: p, sampleRate: 48000, channels: 2, durationSeconds: 5 });
    expect(Math.abs(out.files[0].integratedLufs + 23)).toBeLessThanOrEqual(format === 'u8' ? 0.3 : 0.1);
    expect(Math.abs(out.files[0].truePeakDbtp + 23)).toBeLessThanOrEqual(0.3);
  });

  it('weights 5.1 from the WAVE_FORMAT_EXTENSIBLE mask: the LFE does not count', async () => {
    const sig = tone(48000, 6, [{ seconds: 10, dbfs: [-28, -28, -24, -6, -30, -30] }]);
    const p = await wav('surround.wav', sig.samples, 48000, 6, 's24', { mask: 0x3f });
    const out = JSON.parse((await headroom(['analyze', p, '--json'])).stdout);
    expect(Math.abs(out.files[0].integratedLufs + 23)).toBeLessThanOrEqual(0.1);
  });

  it('reports null for what a silent file cannot measure, and prints "—" in the table', async () => {
    const p = await wav('silence.wav', new Float32Array(48000 * 2), 48000, 1, 's16');
    const out = JSON.parse((await headroom(['analyze', p, '--json'])).stdout);
    expect(out.files[0]).toMatchObject({ integratedLufs: null, loudnessRangeLu: null, momentaryMaxLufs: null, shortTermMaxLufs: null, samplePeakDbfs: null, truePeakDbtp: null, durationSeconds: 2 });
    const table = await headroom(['analyze', p]);
    expect(table.stdout).toMatch(/silence\.wav\s+—\s+—/);
  });

  it('analyzes several files in one run, other formats through ffmpeg', async () => {
    const a = await wav('a.wav', tone(44100, 2, [{ seconds: 4, dbfs: -20 }]).samples, 44100, 2, 's16');
    const flac = path.join(dir, 'b.flac');
    await execa('ffmpeg', ['-v', 'error', '-y', '-i', a, flac]);
    const out = JSON.parse((await headroom(['analyze', a, flac, '--json'])).stdout);
    expect(out.files).toHaveLength(2);
    expect(Math.abs(out.files[1].integratedLufs - out.files[0].integratedLufs)).toBeLessThan(0.05);
  });

  it('treats a hostile file name as data', async () => {
    const p = await wav('-x $(touch pwned) `id`\n;rm -rf ~.wav', tone(48000, 1, [{ seconds: 1, dbfs: -20 }]).samples, 48000, 1, 's16');
    const r = await headroom(['analyze', '--json', '--', p]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].path).toBe(p);
  });

  it('a missing file: one line saying what and how, exit 2', async () => {
    const r = await headroom(['analyze', path.join(dir, 'nope.wav')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^headroom: .*nope\.wav: no such file\n {2}Check the path$/);
    const j = await headroom(['analyze', path.join(dir, 'nope.wav'), '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toEqual({ error: { code: 'file_not_found', message: expect.stringContaining('no such file'), hint: 'Check the path' } });
  });

  it('a corrupt WAV and a non-audio file get clear errors', async () => {
    const bad = path.join(dir, 'bad.wav');
    await writeFile(bad, Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '), Buffer.alloc(4)]));
    const r = await headroom(['analyze', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.wav: (truncated|fmt chunk too short)/);
    const text = path.join(dir, 'notes.txt');
    await writeFile(text, 'not audio at all\n');
    const t = await headroom(['analyze', text, '--json']);
    expect(t.code).toBe(2);
    expect(JSON.parse(t.stdout).error.code).toBe('unsupported_format');
  });

  it('without ffmpeg, a non-WAV file names the missing tool and how to install it', async () => {
    const bin = path.join(dir, 'bin-without-ffmpeg');
    await mkdir(bin);
    await symlink(process.execPath, path.join(bin, 'node'));
    const flac = path.join(dir, 'c.flac');
    await writeFile(flac, Buffer.from('fLaC\x00\x00\x00\x22'));
    const r = await headroom(['analyze', flac], { PATH: bin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs ffmpeg\n {2}Install it: sudo apt-get install ffmpeg/);
  });
});
