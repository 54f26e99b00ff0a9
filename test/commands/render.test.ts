import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dsp } from '../../src/native/dsp.js';
import { parseWavHeader } from '../../src/offline/wav.js';
import { bytes, tone } from '../native/signals.js';
import { headroom } from '../helpers/cli.js';
import { encodeWav } from '../helpers/wav-encode.js';
import { schemaErrors } from '../helpers/json-schema.js';

let dir: string;
let input: string;
// a quiet stretch, then an ad 20 dB louder that would clip the ceiling
const programme = tone(48000, 2, [{ seconds: 12, dbfs: -30 }, { seconds: 12, dbfs: -6 }]);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-render-'));
  input = path.join(dir, 'in.wav');
  await writeFile(input, encodeWav(programme.samples, 48000, 2, 'f32'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readFloatWav(p: string) {
  const buf = await readFile(p);
  const h = parseWavHeader(buf);
  if (h.kind !== 'ok') throw new Error(`not a WAV: ${p}`);
  const data = buf.subarray(h.info.dataOffset, h.info.dataOffset + (h.info.dataBytes ?? 0));
  return { info: h.info, samples: new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) };
}

describe('headroom render', () => {
  it('writes a float32 WAV at the input rate and channels, levelled and under the ceiling', async () => {
    const out = path.join(dir, 'out.wav');
    const r = await headroom(['render', input, out, '--json']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(schemaErrors('output.render', res)).toEqual([]); // as docs/schema/control.json says
    expect(Object.keys(res)).toEqual(['input', 'output', 'initialGainDb', 'gainDb', 'limiterMaxReductionDb']);
    expect(Object.keys(res.gainDb)).toEqual(['min', 'max']);
    const { info, samples } = await readFloatWav(out);
    expect(info).toMatchObject({ sampleRate: 48000, channels: 2, format: 'f32' });
    expect(samples.length).toBe(programme.samples.length);
    expect(res.output.truePeakDbtp).toBeLessThanOrEqual(-1);
    // the loudness spread between the two halves shrank from 24 LU to a few
    const m = new (dsp().Meter)(48000, 2);
    m.push(bytes(samples.subarray(samples.length - 48000 * 2 * 3)), 'f32');
    expect(Math.abs(m.result().shortTerm - -18)).toBeLessThanOrEqual(1);
    expect(res.gainDb.max).toBeGreaterThan(5);
    expect(res.gainDb.min).toBeLessThan(-8);
  });

  it('is exactly what the chain does to the samples, time-aligned', async () => {
    const out = path.join(dir, 'exact.wav');
    const r = await headroom(['render', input, out, '--json']);
    expect(r.code).toBe(0);
    const { samples } = await readFloatWav(out);
    const chain = new (dsp().Chain)(48000, 2);
    chain.setGain(JSON.parse(r.stdout).initialGainDb);
    const lat = chain.stats().latencyFrames;
    const live = chain.process(bytes(programme.samples), 'f32');
    const tail = chain.process(bytes(new Float32Array(lat * 2)), 'f32');
    const aligned = new Float32Array([...live.subarray(lat * 2), ...tail]);
    expect(aligned.length).toBe(samples.length);
    let diff = 0;
    for (let i = 0; i < samples.length; i++) if (aligned[i] !== samples[i]) diff++;
    expect(diff).toBe(0);
  });

  it('starts as a live bus settled on the programme: no climb from 0 dB at the start, the loudness range kept; --cold-start keeps the climb', async () => {
    // 60 s of a quiet programme with some movement (-26 / -32 dBFS every 3 s)
    const quiet = tone(48000, 2, Array.from({ length: 20 }, (_, i) => ({ seconds: 3, dbfs: i % 2 ? -32 : -26 })));
    const file = path.join(dir, 'quiet.wav');
    await writeFile(file, encodeWav(quiet.samples, 48000, 2, 'f32'));
    const shortTermAt = async (wav: string, from: number) => {
      const { samples } = await readFloatWav(wav);
      const m = new (dsp().Meter)(48000, 2);
      m.push(bytes(samples.subarray(from * 48000 * 2, (from + 3) * 48000 * 2)), 'f32');
      return m.result().shortTerm;
    };
    const render = async (name: string, extra: string[] = []) => {
      const out = path.join(dir, name);
      const r = await headroom(['render', file, out, '--json', ...extra]);
      expect(r.code).toBe(0);
      return { res: JSON.parse(r.stdout), first: await shortTermAt(out, 0), later: await shortTermAt(out, 30) };
    };
    const settled = await render('settled.wav');
    const cold = await render('cold.wav', ['--cold-start']);
    expect(settled.res.initialGainDb).toBeCloseTo(-18 - settled.res.input.integratedLufs, 1);
    expect(cold.res.initialGainDb).toBe(0);
    // the same 3 s of programme at the start and in the middle come out equally loud
    expect(Math.abs(settled.first - settled.later)).toBeLessThanOrEqual(1);
    expect(settled.first - cold.first).toBeGreaterThan(5); // cold: the AGC climbs from 0 dB at 1.5 dB/s
    expect(settled.res.output.loudnessRangeLu).toBeLessThanOrEqual(settled.res.input.loudnessRangeLu + 1);
    console.log(`render settled vs cold: initial gain ${settled.res.initialGainDb} dB; LRA in ${settled.res.input.loudnessRangeLu}, settled ${settled.res.output.loudnessRangeLu}, cold ${cold.res.output.loudnessRangeLu} LU; first 3 s ${settled.first.toFixed(1)} vs ${cold.first.toFixed(1)} LUFS`);
  });

  it('applies the profile and --set overrides (a negative value is a value)', async () => {
    const out = path.join(dir, 'night.wav');
    const r = await headroom(['render', input, out, '--profile', 'night', '--set', 'limiter.ceiling_dbtp=-6', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).output.truePeakDbtp).toBeLessThanOrEqual(-6);
  });

  it.each([
    [['--profile', 'nosuch'], 'unknown_profile', /no profile named "nosuch"/],
    [['--set', 'agc.target_lufs=-99'], 'bad_setting', /out of range \[-40, -5\]/],
    [['--set', 'agc.target=-16'], 'bad_setting', /unknown key "agc.target"/],
    [['--set', 'agc.target_lufs'], 'bad_setting', /expected key=value/],
  ])('refuses %j with exit 2 and leaves no output file', async (extra, code, message) => {
    const out = path.join(dir, `refused-${code}.wav`);
    const r = await headroom(['render', input, out, ...extra, '--json']);
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect((await readdir(dir)).filter((f) => f.includes('refused'))).toEqual([]);
  });

  it('a missing input or an unwritable output: exit 2, nothing partial left behind', async () => {
    const r = await headroom(['render', path.join(dir, 'missing.wav'), path.join(dir, 'x.wav')]);
    expect(r.code).toBe(2);
    const w = await headroom(['render', input, path.join(dir, 'no', 'such', 'dir.wav')]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/cannot write/);
    const s = await headroom(['render', input, input]);
    expect(s.code).toBe(2);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp') || f === 'x.wav')).toEqual([]);
  });

  it('writes the format the extension names through ffmpeg (FLAC here: lossless, the same samples to 24 bits)', async () => {
    const wav = path.join(dir, 'ref.wav'), flac = path.join(dir, 'ref.flac');
    expect((await headroom(['render', input, wav])).code).toBe(0);
    const r = await headroom(['render', input, flac, '--json']);
    expect(r.code).toBe(0);
    expect((await readFile(flac)).subarray(0, 4).toString()).toBe('fLaC');
    const decoded = await execa('ffmpeg', ['-v', 'error', '-i', flac, '-f', 'f32le', '-c:a', 'pcm_f32le', 'pipe:1'], { encoding: 'buffer' });
    const got = new Float32Array(Buffer.from(decoded.stdout).buffer.slice(0));
    const want = (await readFloatWav(wav)).samples;
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).toBeLessThan(2 ** -22); // 24-bit FLAC of the float result
    expect((await readdir(dir)).filter((f) => f.includes('.headroom.wav'))).toEqual([]); // the intermediate is gone
  });

  it('an extension it cannot write: exit 2 before any work, naming the formats it knows', async () => {
    const out = path.join(dir, 'out.xyz');
    const r = await headroom(['render', input, out, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toEqual({ code: 'unsupported_format', message: `${out}: headroom cannot write ".xyz" files`, hint: 'Name the output with one of: .wav .flac .mp3 .ogg .opus .m4a (all but .wav through ffmpeg)' });
    expect((await readdir(dir)).filter((f) => f.includes('xyz'))).toEqual([]);
  });
});
