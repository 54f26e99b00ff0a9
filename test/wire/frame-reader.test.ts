import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FrameReader, type ReadItem } from '../../src/wire/frame-reader.js';

const golden = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const frames = readdirSync(golden).filter((f) => f.startsWith('frame-')).sort().map((f) => readFileSync(path.join(golden, f)));
const stream = Buffer.concat(frames);
// ack, error, event, hello (sorted by file name)
const [ack, error, , hello] = frames as [Buffer, Buffer, Buffer, Buffer];

function kinds(items: ReadItem[]): string[] {
  return items.map((i) => (i.kind === 'frame' ? i.frame.kind : `problem:${i.problem.kind}`));
}

function feed(reader: FrameReader, bytes: Buffer, sizes: () => number): ReadItem[] {
  const out: ReadItem[] = [];
  for (let off = 0; off < bytes.length; ) {
    const n = Math.min(sizes(), bytes.length - off);
    out.push(...reader.push(bytes.subarray(off, off + n)));
    off += n;
  }
  return out;
}

describe('FrameReader', () => {
  const whole = kinds(new FrameReader().push(stream));

  it('reads all seven golden frames from one buffer', () => {
    expect(whole).toEqual(['ack', 'error', 'event', 'hello', 'meter', 'ready', 'tap']);
  });

  it('gives the same frames fed byte by byte, holding back partial frames', () => {
    const reader = new FrameReader();
    const items = feed(reader, stream, () => 1);
    expect(kinds(items)).toEqual(whole);
    expect(reader.pending).toBe(0);
    expect(reader.push(stream.subarray(0, 20))).toEqual([]);
    expect(reader.pending).toBe(20);
  });

  it('gives the same frames fed in random chunks', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), 1 + (seed % 97));
    for (let round = 0; round < 20; round++) expect(kinds(feed(new FrameReader(), stream, rand))).toEqual(whole);
  });

  it('skips garbage and resyncs on the next header', () => {
    const garbage = Buffer.from('HDR\u0000 not a frame at all HD', 'latin1');
    const items = new FrameReader().push(Buffer.concat([garbage, ack, garbage, error]));
    expect(kinds(items).filter((k) => !k.startsWith('problem'))).toEqual(['ack', 'error']);
    const skipped = items.flatMap((i) => (i.kind === 'problem' && i.problem.kind === 'garbage' ? [i.problem.bytes] : []));
    expect(skipped.reduce((a, b) => a + b, 0)).toBe(2 * garbage.length);
  });

  it('reports an unknown type and a wrong length, and keeps reading', () => {
    const unknown = Buffer.from(ack);
    unknown.writeUInt16LE(0x42, 6);
    const lying = Buffer.from(ack);
    lying.writeUInt32LE(0x7fffffff, 8); // must not make the reader wait for 2 GiB
    const items = new FrameReader().push(Buffer.concat([unknown, lying, hello]));
    const problems = items.flatMap((i) => (i.kind === 'problem' ? [i.problem.kind] : []));
    expect(problems).toContain('unknown-type');
    expect(problems).toContain('bad-length');
    expect(kinds(items).at(-1)).toBe('hello');
  });

  it('reports a frame of another protocol version without decoding it', () => {
    const v2 = Buffer.from(hello);
    v2.writeUInt16LE(2, 4);
    expect(new FrameReader().push(Buffer.concat([v2, ack])).map((i) => (i.kind === 'frame' ? i.frame.kind : i.problem.kind))).toEqual(['bad-version', 'ack']);
  });
});
