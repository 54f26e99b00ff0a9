import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDumpOnce, PwDumpStream, type PwDumpItem } from '../../src/wire/pw-dump-stream.js';

// Recorded from `pw-dump --monitor` on PipeWire 0.3.65 while a pw-play stream came and went.
const fixture = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'pw-dump-monitor.txt'), 'utf8');

const batches = (items: PwDumpItem[]) => items.flatMap((i) => (i.kind === 'batch' ? [i.objects] : []));

describe('PwDumpStream', () => {
  it('splits the recorded monitor output into its 14 batches, the full graph first', () => {
    const items = new PwDumpStream().push(fixture);
    expect(items.filter((i) => i.kind === 'problem')).toEqual([]);
    const b = batches(items);
    expect(b).toHaveLength(14);
    expect(b[0]?.length).toBe(45);
    expect(b.at(-3)).toEqual([{ id: 54, info: null }]);
  });

  it('gives the same batches fed in small chunks', () => {
    const s = new PwDumpStream();
    const items: PwDumpItem[] = [];
    for (let i = 0; i < fixture.length; i += 97) items.push(...s.push(fixture.slice(i, i + 97)));
    expect(batches(items)).toEqual(batches(new PwDumpStream().push(fixture)));
  });

  it('gives the same batches fed a byte at a time (a closing line split across chunks), an empty batch included', () => {
    const text = '[\n]\n[\n  { "id": 1, "info": { "props": { "a": "]" } } }\n]\n\n[\n  { "id": 2, "info": null }\n]\n';
    const s = new PwDumpStream();
    const items: PwDumpItem[] = [];
    for (const c of text) items.push(...s.push(c));
    expect(items.map((i) => i.kind)).toEqual(['batch', 'batch', 'batch']);
    expect(batches(items)).toEqual([[], [{ id: 1, info: { props: { a: ']' } } }], [{ id: 2, info: null }]]);
  });

  it('drops a batch over its limit, fed in chunks, and carries on with the next one', () => {
    const big = `[\n${Array.from({ length: 100 }, (_, i) => `  { "id": ${i}, "info": null },`).join('\n')}\n  { "id": 100 }\n]\n`;
    const s = new PwDumpStream(1024);
    const items: PwDumpItem[] = [];
    for (let i = 0; i < big.length; i += 300) items.push(...s.push(big.slice(i, i + 300)));
    items.push(...s.push('[\n  { "id": 7 }\n]\n'));
    expect(items.map((i) => (i.kind === 'problem' ? i.reason : i.kind))).toEqual(['a batch over 1024 bytes was dropped', 'batch']);
    expect(batches(items)).toEqual([[{ id: 7 }]]);
  });

  it('reports garbage and a broken batch, and carries on with the next one', () => {
    const items = new PwDumpStream().push('warning: something\n[\n  { "id": 1,\n]\n[\n  { "id": 2, "info": null }\n]\n');
    expect(items.map((i) => i.kind)).toEqual(['problem', 'problem', 'batch']);
    expect(batches(items)).toEqual([[{ id: 2, info: null }]]);
  });
});

describe('parseDumpOnce', () => {
  it('folds the arrays a one-shot pw-dump prints while the graph changes: updates replace, removals remove', () => {
    const text = '[\n  { "id": 1, "type": "a", "info": { "n": 1 } },\n  { "id": 2, "type": "b", "info": {} }\n]\n[\n  { "id": 2, "info": null }\n]\n[\n  { "id": 1, "type": "a", "info": { "n": 2 } }\n]\n';
    expect(parseDumpOnce(text)).toEqual([{ id: 1, type: 'a', info: { n: 2 } }]);
  });

  it('gives the graph the recorded monitor output ends with: the stream that came and went is gone', () => {
    const objects = parseDumpOnce(fixture) as { id: number }[];
    expect(objects.length).toBeGreaterThan(40);
    expect(objects.some((o) => o.id === 54)).toBe(false);
  });

  it('throws on output with no graph in it', () => {
    expect(() => parseDumpOnce('pw-dump: cannot connect\n')).toThrow(/no graph/);
  });
});
