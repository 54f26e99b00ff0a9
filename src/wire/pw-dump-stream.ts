// Splits the output of `pw-dump --monitor` into batches: the full graph first, then one
// JSON array per batch of changes. Each array opens with a line "[" and closes with a
// line "]" at column 0 (everything inside is indented), so a batch is the text from the one
// to the other, found with a search rather than line by line (while Layer A moves apps'
// gains, pw-dump prints each node again on every change: a few hundred KiB a second).
export type PwDumpItem = { kind: 'batch'; objects: unknown[] } | { kind: 'problem'; reason: string };

/** A batch larger than this is not pw-dump talking: drop it and resync. */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;
const CLOSE = '\n]\n';

export class PwDumpStream {
  /** text not yet taken: the open batch from its "[" (or the start of a line outside one) */
  private text = '';
  private inBatch = false;
  /** an oversized batch is being skipped to its end */
  private dropping = false;
  /** where the search for the open batch's end goes on from */
  private searchFrom = 0;

  push(chunk: string): PwDumpItem[] {
    const out: PwDumpItem[] = [];
    let text = this.text + chunk;
    let at = 0;
    for (;;) {
      if (!this.inBatch) {
        const nl = text.indexOf('\n', at);
        if (nl < 0) break;
        const line = text.slice(at, nl);
        if (line === '[') {
          this.inBatch = true;
          this.searchFrom = nl; // "[\n]\n" closes at once
        } else {
          if (line.trim() !== '') out.push({ kind: 'problem', reason: `text outside a batch: ${line.slice(0, 80)}` });
          at = nl + 1;
        }
        continue;
      }
      const end = text.indexOf(CLOSE, this.searchFrom);
      if (end < 0) {
        this.searchFrom = Math.max(at, text.length - CLOSE.length + 1);
        if (!this.dropping && text.length - at > MAX_BATCH_BYTES) {
          out.push({ kind: 'problem', reason: `a batch over ${MAX_BATCH_BYTES} bytes was dropped` });
          this.dropping = true;
        }
        if (this.dropping) {
          // keep only what a closing line could start in
          text = text.slice(this.searchFrom);
          at = 0;
          this.searchFrom = 0;
        }
        break;
      }
      if (!this.dropping) out.push(parseBatch(text.slice(at, end + 2)));
      this.inBatch = false;
      this.dropping = false;
      at = end + CLOSE.length;
    }
    this.text = text.slice(at);
    this.searchFrom -= at;
    return out;
  }
}

function parseBatch(json: string): PwDumpItem {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? { kind: 'batch', objects: value } : { kind: 'problem', reason: 'a batch that is not a JSON array' };
  } catch (e) {
    return { kind: 'problem', reason: `unparsable batch: ${(e as Error).message}` };
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
