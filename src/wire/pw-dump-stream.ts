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
  /** the start of a line outside a batch, its end not seen yet */
  private pending = '';
  /** the open batch's text so far, as it came (joined once, when it closes); null: none open */
  private batch: string[] | null = null;
  private batchBytes = 0;
  /** the open batch's last two characters: its closing line may start in them */
  private tail = '';
  /** the open batch is over the limit: skipped to its end */
  private dropping = false;

  constructor(private readonly maxBatchBytes = MAX_BATCH_BYTES) {}

  push(chunk: string): PwDumpItem[] {
    const out: PwDumpItem[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.batch === null) {
        const nl = chunk.indexOf('\n', at);
        if (nl < 0) {
          this.pending += chunk.slice(at);
          break;
        }
        const line = this.pending + chunk.slice(at, nl);
        this.pending = '';
        at = nl + 1;
        if (line === '[') {
          this.batch = ['[\n'];
          this.batchBytes = 2;
          this.tail = '[\n';
        } else if (line.trim() !== '') out.push({ kind: 'problem', reason: `text outside a batch: ${line.slice(0, 80)}` });
        continue;
      }
      const rest = chunk.slice(at);
      const probe = this.tail + rest;
      const end = probe.indexOf(CLOSE);
      if (end < 0) {
        if (!this.dropping) {
          this.batch.push(rest);
          this.batchBytes += rest.length;
          if (this.batchBytes > this.maxBatchBytes) {
            out.push({ kind: 'problem', reason: `a batch over ${this.maxBatchBytes} bytes was dropped` });
            this.dropping = true;
            this.batch = [];
          }
        }
        this.tail = probe.slice(-2);
        break;
      }
      // the batch ends with the "]" of its closing line (end + 1 in probe)
      if (!this.dropping) out.push(parseBatch(this.batch.join('') + probe.slice(this.tail.length, end + 2)));
      at += end + CLOSE.length - this.tail.length;
      this.batch = null;
      this.dropping = false;
    }
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
