import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  encodeCommand, ENGINE_NAME, REPEAT_TICKS, SINK_NAME, TICK_MS, WIRE_HEADER, WIRE_MAGIC, WIRE_VERSION,
  type Command, type Frame,
} from '../../src/wire/filter-host-protocol.js';
import { FrameReader } from '../../src/wire/frame-reader.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = path.join(here, 'golden');
const root = path.resolve(here, '../..');

function decodeOne(file: string): Frame {
  const items = new FrameReader().push(readFileSync(path.join(golden, file)));
  expect(items).toHaveLength(1);
  const item = items[0];
  if (item?.kind !== 'frame') throw new Error(`not one frame: ${JSON.stringify(items)}`);
  return item.frame;
}

// The C side writes these frames (native/filter-host/tests/test_wire.c) and checks these commands.
const commands: [string, Command, number][] = [
  ['command-set-param.bin', { kind: 'setParam', key: 'agc.target_lufs', value: -16.5 }, 1],
  ['command-bypass.bin', { kind: 'bypass', on: true }, 2],
  ['command-set-target.bin', { kind: 'setTarget', name: 'alsa_output.pci-0000_00_1f.3.analog-stereo' }, 3],
  ['command-add-tap.bin', { kind: 'addTap', tapId: 7, streamSerial: 0x10000002an }, 4],
  ['command-remove-tap.bin', { kind: 'removeTap', tapId: 7 }, 5],
  ['command-shutdown.bin', { kind: 'shutdown' }, 7],
  ['command-set-tap-gain.bin', { kind: 'setTapGain', tapId: 7, seenSteps: 2, gainDb: -12.5, guardLufs: -16, aimLufs: -18 }, 8],
];

describe('filter-host protocol: golden frames from the C encoder', () => {
  it('decodes HELLO and READY', () => {
    expect(decodeOne('frame-hello.bin')).toEqual({ kind: 'hello', seq: 0, protocol: 1, pid: 4242, paramCount: 14, maxTaps: 32 });
    expect(decodeOne('frame-ready.bin')).toEqual({
      kind: 'ready', seq: 1, rate: 48000, quantum: 1024, channels: 2, latencyFrames: 287,
      sink: { id: 41, serial: 43n }, capture: { id: 49, serial: 90n }, playback: { id: 52, serial: 0x10000005bn },
    });
  });

  it('decodes a METER tick with every field', () => {
    expect(decodeOne('frame-meter.bin')).toEqual({
      kind: 'meter', seq: 2,
      input: { momentary: -23.5, shortTerm: -24.25, integrated: -200, truePeakDbtp: 2.5 },
      output: { momentary: -18, shortTerm: -18.5, integrated: -19.75, truePeakDbtp: -1.25 },
      agcGainDb: -5.5, agcTargetLufs: -18, compressorReductionDb: 1.5, limiterReductionDb: 0.75,
      rate: 48000, quantum: 1024, bypass: true, active: true, targetLinked: false, underruns: 2,
      timing: { calls: 123456789012n, sumUs: 987654321n, maxUs: 4321, spikes: 3, lastSpikeUs: 6001, lastSpikeAtCall: 120000n },
    });
  });

  it('decodes TAP, ACK, ERROR and EVENT', () => {
    expect(decodeOne('frame-tap.bin')).toEqual({
      kind: 'tap', seq: 3, tapId: 7, nodeId: 77, streamSerial: 0x10000002an, momentary: -30.5, shortTerm: -31.25, peakDb: -12, active: true, gainDb: -9.5, guardSteps: 3,
    });
    expect(decodeOne('frame-ack.bin')).toEqual({ kind: 'ack', seq: 4, cmdSeq: 17, cmdType: 0x81 });
    expect(decodeOne('frame-error.bin')).toEqual({ kind: 'error', seq: 5, cmdSeq: 18, cmdType: 0x81, code: 6, message: "unknown parameter 'agc.nope'" });
    expect(decodeOne('frame-event.bin')).toEqual({ kind: 'event', seq: 6, event: 4, a: 7, b: 77, c: 0x10000002bn, text: 'headroom-tap-7' });
  });
});

describe('filter-host protocol: commands for the C decoder', () => {
  it.each(commands)('%s matches the TypeScript encoder byte for byte', (file, command, seq) => {
    const bytes = encodeCommand(command, seq);
    if (process.env.HR_WIRE_REGEN) writeFileSync(path.join(golden, file), bytes);
    expect(bytes.equals(readFileSync(path.join(golden, file)))).toBe(true);
  });

  it('refuses values the wire cannot carry', () => {
    expect(() => encodeCommand({ kind: 'setParam', key: 'k'.repeat(48), value: 1 }, 1)).toThrow(/48-byte field/);
    expect(() => encodeCommand({ kind: 'setParam', key: 'agc.target_lufs', value: Number.NaN }, 1)).toThrow(/finite/);
    expect(() => encodeCommand({ kind: 'setTarget', name: 'a\0b' }, 1)).toThrow(/NUL/);
    expect(() => encodeCommand({ kind: 'removeTap', tapId: -1 }, 1)).toThrow(/u32/);
    expect(() => encodeCommand({ kind: 'setTapGain', tapId: 1, seenSteps: 0, gainDb: 31, guardLufs: -16, aimLufs: -18 }, 1)).toThrow(/\[-60, 30\] dB/);
    expect(() => encodeCommand({ kind: 'setTapGain', tapId: 1, seenSteps: 0, gainDb: 0, guardLufs: Number.NaN, aimLufs: -18 }, 1)).toThrow(/finite/);
    expect(() => encodeCommand({ kind: 'addTap', tapId: 1, streamSerial: -1n }, 1)).toThrow(/u64/);
  });
});

describe('the protocol is written twice', () => {
  it('wire.h and filter-host-protocol.ts open with the same header comment', () => {
    const comment = (file: string) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      const body = text.slice(text.indexOf('/*'), text.indexOf('*/'));
      return body.split('\n').filter((l) => !l.includes('Mirrored by'));
    };
    const c = comment('native/filter-host/src/wire.h');
    expect(c.length).toBeGreaterThan(30);
    expect(comment('src/wire/filter-host-protocol.ts')).toEqual(c);
  });

  it('wire.h defines the constants the TypeScript side matches on, with the same values', () => {
    const header = readFileSync(path.join(root, 'native/filter-host/src/wire.h'), 'utf8');
    const define = (name: string) => {
      const value = header.match(new RegExp(`^#define ${name} (.+)$`, 'm'))?.[1]?.trim();
      if (value === undefined) throw new Error(`wire.h does not define ${name}`);
      return value.startsWith('"') ? JSON.parse(value) : Number(value.replace(/u$/, ''));
    };
    expect({
      HR_WIRE_MAGIC: define('HR_WIRE_MAGIC'), HR_WIRE_VERSION: define('HR_WIRE_VERSION'), HR_WIRE_HEADER: define('HR_WIRE_HEADER'),
      HR_SINK_NAME: define('HR_SINK_NAME'), HR_ENGINE_NAME: define('HR_ENGINE_NAME'),
      HR_TICK_MS: define('HR_TICK_MS'), HR_REPEAT_TICKS: define('HR_REPEAT_TICKS'),
    }).toEqual({
      HR_WIRE_MAGIC: WIRE_MAGIC, HR_WIRE_VERSION: WIRE_VERSION, HR_WIRE_HEADER: WIRE_HEADER,
      HR_SINK_NAME: SINK_NAME, HR_ENGINE_NAME: ENGINE_NAME,
      HR_TICK_MS: TICK_MS, HR_REPEAT_TICKS: REPEAT_TICKS,
    });
  });
});
