// The filter-host's commands, lifecycle and real-time discipline against a real private
// PipeWire + WirePlumber.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { spawnPiped } from '../../src/orchestrator/process/exec.js';
import { FilterHostProcess } from '../../src/orchestrator/engine/filter-host-process.js';
import { poll } from '../../src/orchestrator/process/poll.js';
import { dumpGraph, nodeByName, startPrivatePipewire, type PrivatePipewire } from '../../src/orchestrator/sandbox/private-pipewire.js';
import { useFilterHosts, usePrivatePipewire } from './sandbox.js';
import { filterHostPath } from '../../src/native/filter-host-binary.js';
import { encodeCommand, EventKind, WireErrorCode, type Frame } from '../../src/wire/filter-host-protocol.js';
import { FrameReader } from '../../src/wire/frame-reader.js';
import { links, measure, peakDb, ports, RATE, readWavFloat, recordSpeakers, report, sine, writeSignal } from './audio.js';

const box = usePrivatePipewire();
const { filterHost, app } = useFilterHosts(box);
let pw: PrivatePipewire;
let dir: string;
beforeEach(() => {
  ({ pw, dir } = box);
});

const names = async () => {
  const g = await dumpGraph(pw);
  return g.filter((o) => o.type === 'PipeWire:Interface:Node').map((o) => String(o.info?.props?.['node.name']));
};

describe('filter-host lifecycle', () => {
  it('says HELLO first, then READY with the ids and serials of its nodes', async () => {
    const fh = await filterHost();
    expect(fh.hello).toMatchObject({ protocol: 1, paramCount: 14, maxTaps: 64 });
    expect(fh.hello?.pid).toBe(fh.pid);
    const g = await dumpGraph(pw);
    const ready = fh.ready!;
    // one node does the audio work: the bus takes its input in and plays out of the engine
    for (const [name, ref] of [['headroom-processed', ready.sink], ['headroom-engine', ready.capture], ['headroom-engine', ready.playback]] as const) {
      const node = nodeByName(g, name);
      expect(node?.id).toBe(ref.id);
      expect(BigInt(String(node?.info?.props?.['object.serial']))).toBe(ref.serial);
    }
    expect(ready.channels).toBe(2);
    expect(ready.latencyFrames).toBe(287); // 5 ms lookahead at 48 kHz plus the true-peak filter
  });

  it.each([
    ['stdin EOF', (fh: FilterHostProcess) => void fh.close()],
    ['SIGTERM', (fh: FilterHostProcess) => fh.kill('SIGTERM')],
    ['SHUTDOWN', (fh: FilterHostProcess) => void fh.send({ kind: 'shutdown' })],
  ])('exits 0 on %s, removes its node and leaves the lingering sink', async (_what, stop) => {
    const fh = await filterHost();
    stop(fh);
    const exit = await fh.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
    await poll('its node gone', async () => !(await names()).includes('headroom-engine'));
    const left = await names();
    expect(left).toContain('headroom-processed');
  });

  it('writes a tick that brings nothing new once a second only: 10 meter frames a second while sound plays, 1 in silence', async () => {
    const fh = await filterHost();
    const meterFrames = async (ms: number) => {
      let n = 0;
      const off = fh.on((f) => void (f.kind === 'meter' && n++));
      await sleep(ms);
      off();
      return n;
    };
    await sleep(1000);
    const silent = await meterFrames(3000);
    const swell = (t: number) => 0.1 * Math.sin(2 * Math.PI * 1000 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
    const a = app(writeSignal(path.join(dir, 'ticks.wav'), 6, swell), 'ticks-app', 'headroom-processed');
    await a.node();
    await sleep(1000);
    const playing = await meterFrames(3000);
    report('meter frames in 3 s: silence, sound', [silent, playing]);
    expect(silent).toBeGreaterThanOrEqual(2);
    expect(silent).toBeLessThanOrEqual(4);
    expect(playing).toBeGreaterThanOrEqual(27);
  });

  it('reuses the lingering sink instead of creating a second one', async () => {
    await (await filterHost()).close();
    await filterHost();
    expect((await names()).filter((n) => n === 'headroom-processed')).toHaveLength(1);
  });

  it('exits 1 with one clear line when setup fails', async () => {
    const noPipewire = spawnPiped([filterHostPath(), '--target', 'speakers'], { env: { ...pw.env, XDG_RUNTIME_DIR: dir, PIPEWIRE_REMOTE: 'nobody-here' } });
    let stderr = '';
    noPipewire.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    noPipewire.stdin.end();
    const r = await noPipewire;
    expect(r.exitCode).toBe(1);
    expect(stderr).toMatch(/^filter-host: cannot connect to PipeWire .*Try: systemctl --user start pipewire/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    const badArgs = spawnPiped([filterHostPath(), '--target', 'headroom-processed']);
    expect((await badArgs).exitCode).toBe(1);
  });

  it('exits 2 when PipeWire goes away', async () => {
    const own = await startPrivatePipewire();
    try {
      const fh = await FilterHostProcess.start({ target: own.speakers, env: own.env });
      await own.stop();
      const exit = await fh.exited;
      expect(exit.code).toBe(2);
      expect(exit.stderr).toMatch(/^filter-host: lost the connection to PipeWire/);
    } finally {
      await own.stop();
    }
  });
});

describe('filter-host commands', () => {
  it('acks good commands and rejects bad ones with an error frame, changing nothing', async () => {
    const fh = await filterHost();
    await fh.send({ kind: 'setParam', key: 'agc.target_lufs', value: -20 });
    await expect(fh.send({ kind: 'setParam', key: 'agc.nope', value: 1 })).rejects.toThrow("unknown parameter 'agc.nope'");
    await expect(fh.send({ kind: 'setParam', key: 'agc.target_lufs', value: 3 })).rejects.toThrow('agc.target_lufs must be within [-40, -5], got 3');
    await expect(fh.send({ kind: 'removeTap', tapId: 99 })).rejects.toThrow('no tap with id 99');
    await expect(fh.send({ kind: 'setTapGain', tapId: 99, seenSteps: 0, gainDb: -6, guardLufs: -200, aimLufs: -18 })).rejects.toThrow(/tap 99: no such tap/);
    await expect(fh.send({ kind: 'setTarget', name: 'headroom-processed' })).rejects.toThrow(/own sink/);
    const meter = await fh.waitFor((f): f is Extract<Frame, { kind: 'meter' }> => f.kind === 'meter');
    expect(meter.agcTargetLufs).toBe(-20);
  });

  it('takes commands sent before its node exists: acked before READY, and the chain is made with them', async () => {
    // written at once, before HELLO: they reach a filter-host still connecting to PipeWire
    const raw = spawnPiped([filterHostPath(), '--target', pw.speakers], { env: pw.env });
    const frames: Frame[] = [];
    const reader = new FrameReader();
    let stderr = '';
    raw.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    raw.stdout.on('data', (chunk: Buffer) => {
      for (const item of reader.push(chunk)) if (item.kind === 'frame') frames.push(item.frame);
    });
    raw.stdin.write(encodeCommand({ kind: 'setParam', key: 'agc.target_lufs', value: -20 }, 1));
    raw.stdin.write(encodeCommand({ kind: 'bypass', on: true }, 2));
    try {
      const ready = await poll('READY', () => {
        const i = frames.findIndex((f) => f.kind === 'ready');
        return i >= 0 ? i : undefined;
      });
      const acks = frames.flatMap((f, i) => (f.kind === 'ack' ? [{ seq: f.cmdSeq, at: i }] : []));
      expect(acks.map((a) => a.seq)).toEqual([1, 2]);
      expect(acks.every((a) => a.at < ready)).toBe(true);
      // the chain was made bypassed: a full-scale sine reaches the speakers whole, where the
      // limiter would hold it under its ceiling (-1 dBTP)
      const ears = await recordSpeakers(pw, dir, 'early-bypass.wav');
      await app(writeSignal(path.join(dir, 'early-bypass-app.wav'), 1.5, sine(0)), 'early-app').proc;
      const out = await ears.stop();
      expect(peakDb(out, 0, out.length / 2 / RATE)).toBeGreaterThan(-0.3);
      const meter = frames.slice(ready).find((f): f is Extract<Frame, { kind: 'meter' }> => f.kind === 'meter');
      expect(meter?.agcTargetLufs).toBe(-20);
      expect(meter?.bypass).toBe(true);
    } finally {
      raw.stdin.end();
    }
    expect((await raw).exitCode).toBe(0);
    expect(stderr).toBe('');
  });

  it('survives garbage on stdin, reports it, and keeps serving', async () => {
    const fh = await filterHost();
    const errors: Frame[] = [];
    fh.on((f) => f.kind === 'error' && errors.push(f));
    fh.writeRaw(Buffer.from('$(rm -rf ~)\n\u0000\u0001 HDRM garbage that is not a frame'));
    fh.writeRaw(Buffer.alloc(5000, 0xff));
    await fh.send({ kind: 'bypass', on: true });
    expect(errors.length).toBeGreaterThan(0);
    // skipped bytes, and a header-like "HDRM" inside the garbage with a nonsense type or length
    const framing: number[] = [WireErrorCode.magic, WireErrorCode.type, WireErrorCode.length, WireErrorCode.version];
    expect(errors.every((e) => e.kind === 'error' && framing.includes(e.code))).toBe(true);
    // the command after the garbage was taken: the next meter tick reports the bypass
    const m = await fh.waitFor((f): f is Extract<Frame, { kind: 'meter' }> => f.kind === 'meter');
    expect(m.bypass).toBe(true);
  });

  it('moves the bus to another sink on SET_TARGET: the same node, its output linked there alone, channel by channel', async () => {
    await pw.tool(['pw-cli', 'create-node', 'adapter', '{ factory.name=support.null-audio-sink node.name=headphones media.class=Audio/Sink object.linger=true audio.position=[FL FR] }']);
    const fh = await filterHost();
    const engine = fh.ready!.playback.id;
    const headphones = await poll('headphones', async () => nodeByName(await dumpGraph(pw), 'headphones'));
    const linked = fh.waitFor((f) => f.kind === 'event' && f.event === EventKind.targetLinked && f.text === 'headphones', 5000);
    await fh.send({ kind: 'setTarget', name: 'headphones' });
    const ev = await linked;
    expect(ev.kind === 'event' && ev.a).toBe(headphones.id);
    const g = await poll('only the headphones fed', async () => {
      const now = await dumpGraph(pw);
      return links(now).filter((l) => l.out === engine).every((l) => l.in === headphones.id) ? now : undefined;
    });
    const from = ports(g, engine, 'out', 'bus-out-');
    const to = ports(g, headphones.id, 'in');
    expect(links(g).filter((l) => l.out === engine).map((l) => [l.outPort, l.inPort]).sort()).toEqual([[from.get('FL'), to.get('FL')], [from.get('FR'), to.get('FR')]].sort());
    expect(nodeByName(g, 'headroom-engine')?.id).toBe(engine);
  });

  it('a tap on one of two apps links itself to that app, channel by channel, and reports only it', async () => {
    const fh = await filterHost();
    const loudFile = writeSignal(path.join(dir, 'tap-loud.wav'), 6, sine(-16));
    const quietFile = writeSignal(path.join(dir, 'tap-quiet.wav'), 6, sine(-36, 440));
    const loud = app(loudFile, 'tap-loud');
    app(quietFile, 'tap-quiet');
    const loudNode = await loud.node();
    const serial = BigInt(String(loudNode.info?.props?.['object.serial']));
    const ready = fh.waitFor((f) => f.kind === 'event' && f.event === EventKind.tapReady && f.a === 1);
    await fh.send({ kind: 'addTap', tapId: 1, streamSerial: serial });
    const ev = await ready;
    const tapNode = ev.kind === 'event' ? ev.b : -1;
    // the filter-host links the app into its tap by itself: FL to FL, FR to FR, nothing else
    const g = await poll('the tap linked', async () => {
      const now = await dumpGraph(pw);
      return links(now).filter((l) => l.out === loudNode.id && l.in === tapNode).length === 2 ? now : undefined;
    });
    const from = ports(g, loudNode.id, 'out');
    const to = ports(g, tapNode, 'in', 'tap-');
    const busIn = new Set(ports(g, tapNode, 'in', 'bus-in-').values());
    expect([...to.keys()].sort()).toEqual(['FL', 'FR']);
    const into = links(g).filter((l) => l.in === tapNode && !busIn.has(l.inPort)).map((l) => [l.outPort, l.inPort]);
    expect(into.sort()).toEqual([[from.get('FL'), to.get('FL')], [from.get('FR'), to.get('FR')]].sort());
    await sleep(3500);
    const tap = await fh.waitFor((f): f is Extract<Frame, { kind: 'tap' }> => f.kind === 'tap' && f.tapId === 1);
    const own = measure(readWavFloat(loudFile), 0, 3);
    report('tap: tap S, offline S of that app, bus input S', [tap.shortTerm, own.shortTerm, fh.lastMeter?.input.shortTerm]);
    expect(tap.streamSerial).toBe(serial);
    expect(tap.active).toBe(true);
    expect(Math.abs(tap.shortTerm - own.shortTerm)).toBeLessThanOrEqual(1);
    expect(tap.peakDb).toBeCloseTo(-16, 0);
    // and the bus hears both
    const bus = fh.lastMeter!;
    expect(bus.input.shortTerm).toBeGreaterThan(tap.shortTerm - 0.5);
    const removed = fh.waitFor((f) => f.kind === 'event' && f.event === EventKind.tapRemoved && f.a === 1);
    await fh.send({ kind: 'removeTap', tapId: 1 });
    await removed;
    // every tap is a pair of ports on the engine node: a removed tap's links go, the node stays
    await poll('the tap unlinked', async () => links(await dumpGraph(pw)).filter((l) => l.out === loudNode.id && l.in === tapNode).length === 0);
    expect((await names()).filter((n) => n.startsWith('headroom-'))).toEqual(['headroom-processed', 'headroom-engine']);
  });

  it('taps on two apps are ports of one node, each reads its own app alone, and a freed slot is reused', async () => {
    const fh = await filterHost();
    const loudFile = writeSignal(path.join(dir, 'two-loud.wav'), 14, sine(-16));
    const quietFile = writeSignal(path.join(dir, 'two-quiet.wav'), 14, sine(-36, 440));
    const loud = app(loudFile, 'two-loud');
    const quiet = app(quietFile, 'two-quiet');
    const [loudNode, quietNode] = [await loud.node(), await quiet.node()];
    const serialOf = (n: typeof loudNode) => BigInt(String(n.info?.props?.['object.serial']));
    const readyOf = (id: number) => fh.waitFor((f) => f.kind === 'event' && f.event === EventKind.tapReady && f.a === id);
    const r1 = readyOf(1);
    await fh.send({ kind: 'addTap', tapId: 1, streamSerial: serialOf(loudNode) });
    const r2 = readyOf(2);
    await fh.send({ kind: 'addTap', tapId: 2, streamSerial: serialOf(quietNode) });
    const [e1, e2] = [await r1, await r2];
    const tapNode = e1.kind === 'event' ? e1.b : -1;
    expect(e2.kind === 'event' && e2.b).toBe(tapNode);
    await poll('both taps linked', async () => {
      const l = links(await dumpGraph(pw));
      return l.filter((x) => x.out === loudNode.id && x.in === tapNode).length === 2 && l.filter((x) => x.out === quietNode.id && x.in === tapNode).length === 2;
    });
    await sleep(3500);
    const t1 = await fh.waitFor((f): f is Extract<Frame, { kind: 'tap' }> => f.kind === 'tap' && f.tapId === 1);
    const t2 = await fh.waitFor((f): f is Extract<Frame, { kind: 'tap' }> => f.kind === 'tap' && f.tapId === 2);
    report('one node, two taps: loud S, quiet S', [t1.shortTerm, t2.shortTerm]);
    expect(Math.abs(t1.shortTerm - measure(readWavFloat(loudFile), 0, 3).shortTerm)).toBeLessThanOrEqual(1);
    expect(Math.abs(t2.shortTerm - measure(readWavFloat(quietFile), 0, 3).shortTerm)).toBeLessThanOrEqual(1);
    expect(t1.peakDb).toBeCloseTo(-16, 0);
    expect(t2.peakDb).toBeCloseTo(-36, 0);
    // tap 1 goes; tap 3 on the quiet app takes its slot once the loud app's links are gone, and hears only the quiet app
    await fh.send({ kind: 'removeTap', tapId: 1 });
    await poll('tap 1 unlinked', async () => links(await dumpGraph(pw)).filter((x) => x.out === loudNode.id && x.in === tapNode).length === 0);
    const r3 = readyOf(3);
    const heard3: number[] = [];
    const off = fh.on((f) => {
      if (f.kind === 'tap' && f.tapId === 3 && f.active) heard3.push(f.momentary, f.shortTerm);
    });
    await fh.send({ kind: 'addTap', tapId: 3, streamSerial: serialOf(quietNode) });
    const ready3 = await r3;
    expect(ready3.kind === 'event' ? ready3.b : undefined).toBe(tapNode);
    await poll('tap 3 linked', async () => links(await dumpGraph(pw)).filter((x) => x.out === quietNode.id && x.in === tapNode).length === 4);
    const g = await dumpGraph(pw);
    // two slots, not three: four tap ports beside the bus's four
    const own = g.filter((o) => o.type === 'PipeWire:Interface:Port' && o.info?.props?.['node.id'] === tapNode).map((o) => String(o.info?.props?.['port.name']));
    expect(own.filter((n) => n.startsWith('tap-')).length).toBe(4);
    expect(own.filter((n) => n.startsWith('bus-')).sort()).toEqual(['bus-in-FL', 'bus-in-FR', 'bus-out-FL', 'bus-out-FR']);
    await sleep(4500);
    const t3 = await fh.waitFor((f): f is Extract<Frame, { kind: 'tap' }> => f.kind === 'tap' && f.tapId === 3);
    off();
    report('reused slot: tap 3 S (quiet app), loudest M or S it ever read', [t3.shortTerm, Math.max(...heard3)]);
    expect(Math.abs(t3.shortTerm - t2.shortTerm)).toBeLessThanOrEqual(1);
    expect(t3.peakDb).toBeCloseTo(-36, 0);
    // nothing of the loud app (20 dB louder) ever reached the reused slot
    expect(Math.max(...heard3)).toBeLessThanOrEqual(t2.shortTerm + 1);
  });

  it("puts a tap's gain on its stream as softVolumes over the user's volumes, keeps it when the user's slider moves, and gives the stream its own volumes back when the tap goes", async () => {
    const fh = await filterHost();
    const ears = await recordSpeakers(pw, dir, 'gain-out.wav');
    const a = app(writeSignal(path.join(dir, 'gain-in.wav'), 6, sine(-20)), 'gain-app', pw.speakers);
    const node = await a.node();
    const props = async () => {
      const all = (nodeByName(await dumpGraph(pw), 'gain-app')?.info as { params?: { Props?: Record<string, unknown>[] } }).params?.Props ?? [];
      const p = all.find((x) => 'softVolumes' in x) as { volume: number; channelVolumes: number[]; softVolumes: number[] };
      return { volume: p.volume, channelVolumes: p.channelVolumes, softVolumes: p.softVolumes.map((v) => Math.round(v * 1e4) / 1e4) };
    };
    await sleep(1500);
    await fh.send({ kind: 'addTap', tapId: 1, streamSerial: BigInt(String(node.info?.props?.['object.serial'])) });
    await fh.send({ kind: 'setTapGain', tapId: 1, seenSteps: 0, gainDb: -6.0206, guardLufs: -200, aimLufs: -18 });
    await sleep(1000);
    const gained = await props();
    // the user moves the app's slider to half: the gain stays on top of it
    await pw.tool(['pw-cli', 'set-param', String(node.id), 'Props', '{ channelVolumes: [ 0.5, 0.5 ] }']);
    await sleep(1000);
    const moved = await props();
    await fh.send({ kind: 'removeTap', tapId: 1 });
    await sleep(1000);
    const back = await props();
    await a.proc;
    const out = await ears.stop();
    const start = out.findIndex((x) => Math.abs(x) > 1e-4) / 2 / 48000;
    const levels = [[0.3, 1.2], [2.0, 2.4], [3.1, 3.4], [4.1, 4.4]].map(([x, y]) => peakDb(out, start + x!, start + y!));
    report('tap gain -6 dB: Props after the gain, the slider at 0.5, the tap gone; speakers peak per stage (dBFS)', [gained, moved, back, levels.map((l) => l.toFixed(2))]);
    expect(gained).toEqual({ volume: 1, channelVolumes: [1, 1], softVolumes: [0.5, 0.5] });
    expect(moved).toEqual({ volume: 1, channelVolumes: [0.5, 0.5], softVolumes: [0.25, 0.25] });
    expect(back).toEqual({ volume: 1, channelVolumes: [0.5, 0.5], softVolumes: [0.5, 0.5] });
    expect(levels[0]).toBeCloseTo(-20, 1);
    expect(levels[1]).toBeCloseTo(-26.02, 1);
    expect(levels[2]).toBeCloseTo(-32.04, 1);
    expect(levels[3]).toBeCloseTo(-26.02, 1);
  });
});

describe('real-time discipline (allocation trap build)', () => {
  it('runs thousands of callbacks with the trap armed and never fires', async () => {
    const fh = await filterHost({ variant: 'rtcheck' });
    const a = app(writeSignal(path.join(dir, 'rt-in.wav'), 5, sine(-20)), 'rt-app', 'headroom-processed', '64/48000');
    const node = await a.node();
    const ready = fh.waitFor((f) => f.kind === 'event' && f.event === EventKind.tapReady);
    await fh.send({ kind: 'addTap', tapId: 3, streamSerial: BigInt(String(node.info?.props?.['object.serial'])) });
    const ev = await ready;
    await poll('the tap linked', async () => links(await dumpGraph(pw)).filter((l) => l.out === node.id && l.in === (ev.kind === 'event' ? ev.b : -1)).length === 2);
    await fh.send({ kind: 'setParam', key: 'compressor.ratio', value: 6 });
    await fh.send({ kind: 'bypass', on: true });
    await a.proc;
    const calls = Number(fh.lastMeter?.timing.calls ?? 0n);
    report('rtcheck: bus callbacks with the trap armed', calls);
    expect(calls).toBeGreaterThan(2000);
    const exit = await fh.close();
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toMatch(/allocation/);
  });

  it('aborts with a clear message when a callback allocates (test-only switch)', async () => {
    const fh = await filterHost({ variant: 'rtcheck', env: { ...pw.env, HEADROOM_RT_TEST_ALLOC: '1' } });
    app(writeSignal(path.join(dir, 'rt-bad.wav'), 5, sine(-20)), 'rt-bad-app', 'headroom-processed', '256/48000');
    const exit = await fh.exited;
    expect(exit.signal).toBe('SIGABRT');
    expect(exit.stderr).toMatch(/filter-host: allocation in a real-time callback \(malloc\); aborting/);
  });
});
