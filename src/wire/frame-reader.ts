// Turns the filter-host's stdout byte stream into frames: one growing buffer, only
// complete frames consumed, garbage skipped up to the next magic, bad headers reported.
import { decodeFramePayload, isFrameType, PAYLOAD_SIZE, WIRE_HEADER, WIRE_MAGIC, WIRE_VERSION, type Frame } from './filter-host-protocol.js';

export type ReadProblem =
  | { kind: 'garbage'; bytes: number }
  | { kind: 'unknown-type'; type: number; seq: number }
  | { kind: 'bad-length'; type: number; length: number; seq: number }
  | { kind: 'bad-version'; version: number; seq: number };

export type ReadItem = { kind: 'frame'; frame: Frame } | { kind: 'problem'; problem: ReadProblem };

const MAGIC_BYTES = Buffer.alloc(4);
MAGIC_BYTES.writeUInt32LE(WIRE_MAGIC, 0);

export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Bytes held back: a frame that has not fully arrived yet. */
  get pending(): number {
    return this.buf.length;
  }

  /** Feeds a chunk; returns every complete frame and problem, in stream order. */
  push(chunk: Buffer): ReadItem[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: ReadItem[] = [];
    let off = 0;
    while (this.buf.length - off >= 4) {
      if (this.buf.readUInt32LE(off) !== WIRE_MAGIC) {
        const next = this.buf.indexOf(MAGIC_BYTES, off + 1);
        // keep up to 3 trailing bytes: they may be the start of the next magic
        const skipTo = next >= 0 ? next : Math.max(off + 1, this.buf.length - 3);
        out.push({ kind: 'problem', problem: { kind: 'garbage', bytes: skipTo - off } });
        off = skipTo;
        continue;
      }
      if (this.buf.length - off < WIRE_HEADER) break;
      const version = this.buf.readUInt16LE(off + 4);
      const type = this.buf.readUInt16LE(off + 6);
      const length = this.buf.readUInt32LE(off + 8);
      const seq = this.buf.readUInt32LE(off + 12);
      if (!isFrameType(type)) {
        out.push({ kind: 'problem', problem: { kind: 'unknown-type', type, seq } });
        off += WIRE_HEADER;
        continue;
      }
      if (length !== PAYLOAD_SIZE[type]) {
        out.push({ kind: 'problem', problem: { kind: 'bad-length', type, length, seq } });
        off += WIRE_HEADER;
        continue;
      }
      if (this.buf.length - off < WIRE_HEADER + length) break;
      const payload = this.buf.subarray(off + WIRE_HEADER, off + WIRE_HEADER + length);
      off += WIRE_HEADER + length;
      if (version !== WIRE_VERSION) {
        out.push({ kind: 'problem', problem: { kind: 'bad-version', version, seq } });
        continue;
      }
      out.push({ kind: 'frame', frame: decodeFramePayload(type, seq, payload) });
    }
    // copy the tail so the consumed chunks can be collected
    this.buf = off === 0 ? this.buf : Buffer.from(this.buf.subarray(off));
    return out;
  }
}
