/*
 * headroom filter-host wire protocol, version 1.
 * Mirrored by native/filter-host/src/wire.h: change both files together, same version.
 *
 * The filter-host writes frames on stdout and reads commands on stdin. Every message is
 * a 16-byte header and a fixed-size payload, all little-endian:
 *
 *   off 0  u32 magic    0x4D524448 ("HDRM" as bytes on the wire)
 *   off 4  u16 version  1
 *   off 6  u16 type     frames 0x01..0x7f, commands 0x81..0xff
 *   off 8  u32 length   payload bytes; must equal the size of the type
 *   off 12 u32 seq      per-direction counter; acks and errors quote the command's seq
 *
 * Strings are fixed-size fields of NUL-padded UTF-8. f32/f64 are IEEE-754. Loudness and
 * levels in LUFS/dB use -200 (HR_LOUDNESS_FLOOR_LUFS) for "no measurement".
 *
 * Frames (filter-host -> supervisor)
 *   0x01 HELLO    16  u32 protocol, u32 pid, u32 param_count, u32 max_taps  (always first)
 *   0x02 READY    56  u32 rate, quantum, channels, latency_frames,
 *                     u32 sink_id, capture_id, playback_id, pad,
 *                     u64 sink_serial, capture_serial, playback_serial
 *                     (capture and playback: the nodes the bus takes its input in and plays
 *                     out of, both the one engine node, headroom-engine)
 *                     (rate and quantum are 0 until audio has flowed: a suspended bus has
 *                     no format yet; FORMAT_CHANGED and METER carry them when known)
 *   0x03 METER   104  f32 in_m, in_s, in_i, out_m, out_s, out_i (LUFS),
 *                     f32 tp_in, tp_out (dBTP, max since the previous METER),
 *                     f32 agc_gain_db, agc_target_lufs, comp_gr_db, lim_gr_db,
 *                     u32 rate, quantum, flags (1 bypass, 2 active, 4 target linked), underruns,
 *                     u64 calls, u64 sum_us, u32 max_us, u32 spikes, u32 last_spike_us, u32 pad,
 *                     u64 last_spike_at_call
 *   0x04 TAP      40  u32 tap_id, u32 node_id, u64 stream_serial,
 *                     f32 m, s (LUFS), peak_db (max since the previous TAP), u32 flags (2 active),
 *                     f32 gain_db (the stream's gain as last set: by SET_TAP_GAIN or the onset
 *                     guard), u32 guard_steps (how many times the onset guard changed its gain)
 *   0x05 ACK       8  u32 cmd_seq, u16 cmd_type, u16 pad
 *   0x06 ERROR   128  u32 cmd_seq, u16 cmd_type, u16 code, char message[120]
 *   0x07 EVENT   120  u32 kind, u32 a, u32 b, u32 pad, u64 c, char text[96]
 *                     kinds: 1 target linked (a = node id, text = name), 2 target lost (text),
 *                     3 format changed (a = rate, b = channels), 4 tap ready (a = tap id,
 *                     b = tap node id, c = tap node serial), 5 tap removed (a = tap id),
 *                     6 stream error (text)
 *
 * Commands (supervisor -> filter-host); each gets one ACK or one ERROR
 *   0x81 SET_PARAM   56  char key[48] (a dotted profile key), f64 value
 *   0x82 BYPASS       4  u32 on (0 or 1)
 *   0x83 SET_TARGET 256  char name[256] (node.name of the real sink)
 *   0x84 ADD_TAP     16  u32 tap_id, u32 pad, u64 stream_serial
 *   0x85 REMOVE_TAP   4  u32 tap_id
 *   0x87 SHUTDOWN     0
 *   0x88 SET_TAP_GAIN 20 u32 tap_id, u32 seen_steps (the guard_steps the sender had seen),
 *                     f32 gain_db (-60..+30), f32 guard_lufs, aim_lufs: while the tap is
 *                     young (its first 2 s of sound) and its loudness over the last 100 ms
 *                     exceeds guard_lufs, the filter-host cuts the stream's gain itself, to
 *                     2 LU over aim_lufs, then to aim_lufs if its newest 20 ms stay over it,
 *                     or back up, as far as gain_db, as it decays (hr_onset_guard_next,
 *                     hr_onset_release_gain; guard_lufs <= -200: no guard). The gain goes on
 *                     the stream as softVolumes = channelVolumes * 10^(gain_db/20), kept as
 *                     the user's volumes change, never above a change the sender had not seen;
 *                     REMOVE_TAP gives the stream its user's volumes back.
 *
 * Readers consume complete messages only. Bytes that are not a header are skipped up to
 * the next magic (resync); a header with an unknown type or a wrong length is dropped
 * (the header only) and reported, and reading resyncs on the next magic.
 */

export const WIRE_MAGIC = 0x4d524448;
export const WIRE_VERSION = 1;
export const WIRE_HEADER = 16;
/** The node.name of the engine's own nodes (HR_SINK_NAME, HR_ENGINE_NAME): the lingering bus
 * sink, and the one node that does the audio work (the bus's input and output and every tap
 * are its ports). */
export const SINK_NAME = 'headroom-processed';
export const ENGINE_NAME = 'headroom-engine';
/** The engine's tick (HR_TICK_MS): TAP frames, then the METER frame that closes it. A reading
 * that has not changed is left out, but written every REPEAT_TICKS-th tick (HR_REPEAT_TICKS). */
export const TICK_MS = 100;
export const REPEAT_TICKS = 10;
/** The range of a tap's gain (dB). */
export const TAP_GAIN_MIN_DB = -60;
export const TAP_GAIN_MAX_DB = 30;

export const FrameType = {
  hello: 0x01,
  ready: 0x02,
  meter: 0x03,
  tap: 0x04,
  ack: 0x05,
  error: 0x06,
  event: 0x07,
} as const;

export const CommandType = {
  setParam: 0x81,
  bypass: 0x82,
  setTarget: 0x83,
  addTap: 0x84,
  removeTap: 0x85,
  shutdown: 0x87,
  setTapGain: 0x88,
} as const;

export const PAYLOAD_SIZE: Readonly<Partial<Record<number, number>>> = {
  [FrameType.hello]: 16,
  [FrameType.ready]: 56,
  [FrameType.meter]: 104,
  [FrameType.tap]: 40,
  [FrameType.ack]: 8,
  [FrameType.error]: 128,
  [FrameType.event]: 120,
  [CommandType.setParam]: 56,
  [CommandType.bypass]: 4,
  [CommandType.setTarget]: 256,
  [CommandType.addTap]: 16,
  [CommandType.removeTap]: 4,
  [CommandType.shutdown]: 0,
  [CommandType.setTapGain]: 20,
};

export const MeterFlag = { bypass: 1, active: 2, targetLinked: 4 } as const;

export const EventKind = {
  targetLinked: 1,
  targetLost: 2,
  formatChanged: 3,
  tapReady: 4,
  tapRemoved: 5,
  streamError: 6,
} as const;

/** ERROR frame codes (u16). */
export const WireErrorCode = {
  magic: 1,
  version: 2,
  type: 3,
  length: 4,
  value: 5,
  noKey: 6,
  range: 7,
  noTap: 8,
  tapsFull: 9,
  tapExists: 10,
  noNode: 11,
  pipewire: 12,
} as const;

export const KEY_LEN = 48;
export const NAME_LEN = 256;
export const MESSAGE_LEN = 120;
export const TEXT_LEN = 96;

export interface Timing {
  calls: bigint;
  sumUs: bigint;
  maxUs: number;
  spikes: number;
  lastSpikeUs: number;
  lastSpikeAtCall: bigint;
}

export type Frame =
  | { kind: 'hello'; seq: number; protocol: number; pid: number; paramCount: number; maxTaps: number }
  | {
      kind: 'ready';
      seq: number;
      rate: number;
      quantum: number;
      channels: number;
      latencyFrames: number;
      sink: { id: number; serial: bigint };
      capture: { id: number; serial: bigint };
      playback: { id: number; serial: bigint };
    }
  | {
      kind: 'meter';
      seq: number;
      input: { momentary: number; shortTerm: number; integrated: number; truePeakDbtp: number };
      output: { momentary: number; shortTerm: number; integrated: number; truePeakDbtp: number };
      agcGainDb: number;
      agcTargetLufs: number;
      compressorReductionDb: number;
      limiterReductionDb: number;
      rate: number;
      quantum: number;
      bypass: boolean;
      active: boolean;
      targetLinked: boolean;
      underruns: number;
      timing: Timing;
    }
  | {
      kind: 'tap';
      seq: number;
      tapId: number;
      nodeId: number;
      streamSerial: bigint;
      momentary: number;
      shortTerm: number;
      peakDb: number;
      active: boolean;
      /** the stream's gain as the filter-host last set it, and how many times its onset guard changed it (cuts, releases) */
      gainDb: number;
      guardSteps: number;
    }
  | { kind: 'ack'; seq: number; cmdSeq: number; cmdType: number }
  | { kind: 'error'; seq: number; cmdSeq: number; cmdType: number; code: number; message: string }
  | { kind: 'event'; seq: number; event: number; a: number; b: number; c: bigint; text: string };

/** Where the bus's dynamic stages are, as a meter frame reports them (a restarted engine
 * starts there; the fail-safe volume is matched from it). */
export interface BusStages {
  agcGainDb: number;
  compressorReductionDb: number;
  limiterReductionDb: number;
}

export function busStages(m: Extract<Frame, { kind: 'meter' }>): BusStages {
  return { agcGainDb: m.agcGainDb, compressorReductionDb: m.compressorReductionDb, limiterReductionDb: m.limiterReductionDb };
}

export type Command =
  | { kind: 'setParam'; key: string; value: number }
  | { kind: 'bypass'; on: boolean }
  | { kind: 'setTarget'; name: string }
  | { kind: 'addTap'; tapId: number; streamSerial: bigint }
  | { kind: 'removeTap'; tapId: number }
  | { kind: 'shutdown' }
  /** the stream's gain (its softVolumes over the user's volumes); while the tap is young, a
   * start louder than guard (over the last 100 ms) is cut to aim by the filter-host itself
   * (guard <= -200: none) */
  | { kind: 'setTapGain'; tapId: number; seenSteps: number; gainDb: number; guardLufs: number; aimLufs: number };

/** A string field: NUL-terminated inside its fixed size, or the encoder refuses it. */
function putString(buf: Buffer, off: number, value: string, field: number): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length >= field) throw new RangeError(`string of ${bytes.length} bytes does not fit a ${field}-byte field`);
  if (bytes.includes(0)) throw new RangeError('string contains a NUL byte');
  bytes.copy(buf, off);
}

function getString(buf: Buffer, off: number, field: number): string {
  const end = buf.indexOf(0, off);
  return buf.toString('utf8', off, end >= 0 && end < off + field ? end : off + field);
}

function u32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${what} must be a u32, got ${value}`);
  return value;
}

function u64(value: bigint, what: string): bigint {
  if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`${what} must be a u64, got ${value}`);
  return value;
}

/** Encodes one command with its header. Throws RangeError on values the wire cannot carry. */
export function encodeCommand(command: Command, seq: number): Buffer {
  const type = CommandType[command.kind];
  const size = PAYLOAD_SIZE[type] ?? 0;
  const buf = Buffer.alloc(WIRE_HEADER + size);
  buf.writeUInt32LE(WIRE_MAGIC, 0);
  buf.writeUInt16LE(WIRE_VERSION, 4);
  buf.writeUInt16LE(type, 6);
  buf.writeUInt32LE(size, 8);
  buf.writeUInt32LE(u32(seq, 'seq'), 12);
  const p = WIRE_HEADER;
  switch (command.kind) {
    case 'setParam':
      if (!Number.isFinite(command.value)) throw new RangeError(`${command.key} must be a finite number`);
      putString(buf, p, command.key, KEY_LEN);
      buf.writeDoubleLE(command.value, p + KEY_LEN);
      break;
    case 'bypass':
      buf.writeUInt32LE(command.on ? 1 : 0, p);
      break;
    case 'setTarget':
      putString(buf, p, command.name, NAME_LEN);
      break;
    case 'addTap':
      buf.writeUInt32LE(u32(command.tapId, 'tap id'), p);
      buf.writeBigUInt64LE(u64(command.streamSerial, 'stream serial'), p + 8);
      break;
    case 'removeTap':
      buf.writeUInt32LE(u32(command.tapId, 'tap id'), p);
      break;
    case 'setTapGain':
      if (!(command.gainDb >= TAP_GAIN_MIN_DB && command.gainDb <= TAP_GAIN_MAX_DB)) throw new RangeError(`tap gain must be within [${TAP_GAIN_MIN_DB}, ${TAP_GAIN_MAX_DB}] dB, got ${command.gainDb}`);
      if (!Number.isFinite(command.guardLufs) || !Number.isFinite(command.aimLufs)) throw new RangeError('guard and aim must be finite');
      buf.writeUInt32LE(u32(command.tapId, 'tap id'), p);
      buf.writeUInt32LE(u32(command.seenSteps, 'seen steps'), p + 4);
      buf.writeFloatLE(command.gainDb, p + 8);
      buf.writeFloatLE(command.guardLufs, p + 12);
      buf.writeFloatLE(command.aimLufs, p + 16);
      break;
    case 'shutdown':
      break;
  }
  return buf;
}

/** Decodes a frame payload whose header has been checked (type known, length right). */
export function decodeFramePayload(type: number, seq: number, p: Buffer): Frame {
  switch (type) {
    case FrameType.hello:
      return { kind: 'hello', seq, protocol: p.readUInt32LE(0), pid: p.readUInt32LE(4), paramCount: p.readUInt32LE(8), maxTaps: p.readUInt32LE(12) };
    case FrameType.ready:
      return {
        kind: 'ready',
        seq,
        rate: p.readUInt32LE(0),
        quantum: p.readUInt32LE(4),
        channels: p.readUInt32LE(8),
        latencyFrames: p.readUInt32LE(12),
        sink: { id: p.readUInt32LE(16), serial: p.readBigUInt64LE(32) },
        capture: { id: p.readUInt32LE(20), serial: p.readBigUInt64LE(40) },
        playback: { id: p.readUInt32LE(24), serial: p.readBigUInt64LE(48) },
      };
    case FrameType.meter: {
      const f = (i: number) => p.readFloatLE(4 * i);
      const flags = p.readUInt32LE(56);
      return {
        kind: 'meter',
        seq,
        input: { momentary: f(0), shortTerm: f(1), integrated: f(2), truePeakDbtp: f(6) },
        output: { momentary: f(3), shortTerm: f(4), integrated: f(5), truePeakDbtp: f(7) },
        agcGainDb: f(8),
        agcTargetLufs: f(9),
        compressorReductionDb: f(10),
        limiterReductionDb: f(11),
        rate: p.readUInt32LE(48),
        quantum: p.readUInt32LE(52),
        bypass: (flags & MeterFlag.bypass) !== 0,
        active: (flags & MeterFlag.active) !== 0,
        targetLinked: (flags & MeterFlag.targetLinked) !== 0,
        underruns: p.readUInt32LE(60),
        timing: {
          calls: p.readBigUInt64LE(64),
          sumUs: p.readBigUInt64LE(72),
          maxUs: p.readUInt32LE(80),
          spikes: p.readUInt32LE(84),
          lastSpikeUs: p.readUInt32LE(88),
          lastSpikeAtCall: p.readBigUInt64LE(96),
        },
      };
    }
    case FrameType.tap:
      return {
        kind: 'tap',
        seq,
        tapId: p.readUInt32LE(0),
        nodeId: p.readUInt32LE(4),
        streamSerial: p.readBigUInt64LE(8),
        momentary: p.readFloatLE(16),
        shortTerm: p.readFloatLE(20),
        peakDb: p.readFloatLE(24),
        active: (p.readUInt32LE(28) & MeterFlag.active) !== 0,
        gainDb: p.readFloatLE(32),
        guardSteps: p.readUInt32LE(36),
      };
    case FrameType.ack:
      return { kind: 'ack', seq, cmdSeq: p.readUInt32LE(0), cmdType: p.readUInt16LE(4) };
    case FrameType.error:
      return { kind: 'error', seq, cmdSeq: p.readUInt32LE(0), cmdType: p.readUInt16LE(4), code: p.readUInt16LE(6), message: getString(p, 8, MESSAGE_LEN) };
    case FrameType.event:
      return { kind: 'event', seq, event: p.readUInt32LE(0), a: p.readUInt32LE(4), b: p.readUInt32LE(8), c: p.readBigUInt64LE(16), text: getString(p, 24, TEXT_LEN) };
    default:
      throw new RangeError(`not a frame type: ${type}`);
  }
}

/** True for the frame types (0x01..0x7f) this version knows. */
export function isFrameType(type: number): boolean {
  return type < 0x80 && PAYLOAD_SIZE[type] !== undefined;
}
