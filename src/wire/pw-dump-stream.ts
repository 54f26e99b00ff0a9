// Splits the output of `pw-dump --monitor` into batches: the full graph first, then one
// JSON array per batch of changes. Each array opens with a line "[" and closes with a
// line "]" at column 0 (everything inside is indented), so batches are found by line.
export type PwDumpItem = { kind: 'batch'; objects: unknown[] } | { kind: 'problem'; reason: string };

/** A batch larger than this is not pw-dump talking: drop it and resync. */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;

export class PwDumpStream {
  private partial = '';
  private lines: string[] | undefined;
  private bytes = 0;

  push(chunk: string): PwDumpItem[] {
    const out: PwDumpItem[] = [];
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.line(line, out);
    return out;
  }

  private line(line: string, out: PwDumpItem[]): void {
    if (line === '[') {
      if (this.lines) out.push({ kind: 'problem', reason: 'a batch opened before the previous one closed' });
      this.lines = [line];
      this.bytes = line.length;
      return;
    }
    if (!this.lines) {
      if (line.trim() !== '') out.push({ kind: 'problem', reason: `text outside a batch: ${line.slice(0, 80)}` });
      return;
    }
    this.lines.push(line);
    this.bytes += line.length + 1;
    if (this.bytes > MAX_BATCH_BYTES) {
      out.push({ kind: 'problem', reason: `a batch over ${MAX_BATCH_BYTES} bytes was dropped` });
      this.lines = undefined;
      return;
    }
    if (line !== ']') return;
    const json = this.lines.join('\n');
    this.lines = undefined;
    try {
      const value: unknown = JSON.parse(json);
      if (Array.isArray(value)) out.push({ kind: 'batch', objects: value });
      else out.push({ kind: 'problem', reason: 'a batch that is not a JSON array' });
    } catch (e) {
      out.push({ kind: 'problem', reason: `unparsable batch: ${(e as Error).message}` });
    }
  }
}

/** The graph from one-shot `pw-dump` output. While the graph changes it prints more than
 * one array (the snapshot, then updates and `"info": null` removals): they are folded in
 * order, by object id. Throws when there is no array at all. */
export function parseDumpOnce(text: string): unknown[] {
  const stream = new PwDumpStream();
  const batches = stream.push(`${text}\n`).filter((i): i is Extract<PwDumpItem, { kind: 'batch' }> => i.kind === 'batch');
  if (batches.length === 0) throw new Error(`pw-dump printed no graph: ${text.slice(0, 80)}`);
  const byId = new Map<unknown, unknown>();
  for (const b of batches)
    for (const o of b.objects) {
      const id = (o as { id?: unknown } | null)?.id;
      if ((o as { info?: unknown }).info === null && (o as { type?: unknown }).type === undefined) byId.delete(id);
      else byId.set(id, o);
    }
  return [...byId.values()];
}
