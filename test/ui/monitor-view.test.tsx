// The monitor's frames in each state, rendered by ink into a string.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { applyEvent, disconnected, initialState, moveSelection, repeatsTick, selectedRow, STALE_MS, type MonitorState } from '../../src/ui/monitor-state.js';
import { bar, clockShows, MonitorView, peakColour, sparkline, uptime } from '../../src/ui/monitor-view.js';
import type { DaemonStatus, EventMessage, Tick } from '../../src/wire/control-protocol.js';

const T0 = 1_000_000;
const status: DaemonStatus = {
  daemon: { pid: 1, version: '0.1.0', startedAt: new Date(T0 - 75_000).toISOString(), uptimeSeconds: 75, profile: 'default', bypass: false },
  health: { state: 'ok', reasons: [] },
  sinks: { processed: 'headroom-processed', preferred: 'speakers' },
  filterHost: { state: 'running', restarts: 0 },
  streams: [
    { serial: 10, nodeId: 40, app: 'Firefox', route: 'processed', rule: 'default', layerA: { gainDb: 0, reason: 'level' }, loudnessLufs: -23.1, binary: 'firefox', pid: 4001, mediaName: 'YouTube' },
    { serial: 11, nodeId: 41, app: 'AdBlaster 3000 with a very long name indeed', route: 'processed', rule: 'profile', layerA: { gainDb: -14.2, reason: 'onset' }, loudnessLufs: -8.2, binary: null, pid: null, mediaName: null },
    { serial: 12, nodeId: 42, app: 'Volume meter', route: 'direct', rule: 'excluded', layerA: { gainDb: null, reason: null }, loudnessLufs: null, binary: null, pid: null, mediaName: null },
  ],
  meters: null,
};
const tickData = (shortTerm: number | null): Tick => ({
  momentaryLufs: -18.4, shortTermLufs: shortTerm, integratedLufs: -19.0, truePeakDbtp: -3.2,
  input: { momentaryLufs: -24, shortTermLufs: -24, integratedLufs: -24.5, truePeakDbtp: -6 },
  agc: { gainDb: 5.7, targetLufs: -18, minGainDb: -30, maxGainDb: 12 }, compressorReductionDb: 2.1, limiterReductionDb: 0.4, ceilingDbtp: -1, bypass: false,
  active: true, rate: 48000, underruns: 0,
});
const tick = (shortTerm: number | null): EventMessage => ({ type: 'event', topic: 'meters/tick', data: tickData(shortTerm) });
const routed = (serial: number, app: string, route: 'processed' | 'direct', rule: string): EventMessage => ({ type: 'event', topic: 'routing/stream_routed', data: { serial, nodeId: serial + 30, app, binary: null, pid: null, mediaName: null, route, rule } });

function frame(s: MonitorState, now: number, width = 80, height = 24) {
  const r = render(<MonitorView state={s} now={now} width={width} height={height} color={false} />);
  const out = r.lastFrame() ?? '';
  r.unmount();
  return out;
}

function running(): MonitorState {
  let s = initialState(status, ['*'], T0);
  for (let i = 0; i < 50; i++) s = applyEvent(s, tick(-18 + (i % 5)), T0 + i * 100);
  return s;
}

describe('monitor view', () => {
  it('normal: title, gauges, loudness, sparkline, streams (an excluded one says so), footer — within 80x24', () => {
    const out = frame(running(), T0 + 5000);
    expect(out).toContain('headroom 0.1.0 · profile default · up 1m');
    expect(out).toMatch(/AGC .* 5\.7 dB → -18\.0 LUFS/);
    expect(out).toMatch(/Comp .* 2\.1 dB/);
    expect(out).toMatch(/Peak .* -3\.2 dBTP \(ceiling -1\.0\)/);
    expect(out).toContain('M -18.4  S -14.0  I -19.0 LUFS');
    expect(out).toMatch(/S 60s [▁▂▃▄▅▆▇█]+/);
    expect(out).toMatch(/Firefox\s+processed\s+default\s+-23\.1\s+0\.0 dB/);
    expect(out).toMatch(/AdBlaster 3000 with a ve…\s+processed\s+profile\s+-8\.2\s+-14\.2 dB loud start/);
    expect(out).toMatch(/Volume meter\s+direct\s+excluded\s+—\s+—/);
    expect(out).toContain('↑↓ select · m move processed⇄direct · b bypass · p profile · ? help · q quit');
    const lines = out.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
  });

  it('stale: loudness greyed to "—" when the ticks stop, and at the -200 floor', () => {
    const s = running();
    const out = frame(s, T0 + 5000 + STALE_MS + 1);
    expect(out).toContain('M —  S —  I — LUFS');
    expect(out).toContain('bus: no meter readings');
    const floor = applyEvent(initialState(status, ['*'], T0), { type: 'event', topic: 'meters/tick', data: { ...tickData(null), momentaryLufs: null, integratedLufs: null } }, T0);
    expect(frame(floor, T0 + 10)).toContain('M —  S —  I — LUFS');
  });

  it('overflow and errors show a banner; a disconnected daemon says so', () => {
    let s = applyEvent(running(), { type: 'event', topic: 'daemon/overflow', data: { dropped: { 'meters/tick': 7, 'meters/layer_a_level': 3 }, total: {} } }, T0 + 5000);
    expect(frame(s, T0 + 5100)).toContain('overflow: 10 event(s) dropped');
    s = applyEvent(s, { type: 'event', topic: 'daemon/error', data: { what: 'failed safe', message: 'the filter-host crashed 5 times' } }, T0 + 5200);
    expect(frame(s, T0 + 5300)).toContain('error: the filter-host crashed 5 times');
    const off = frame(disconnected(s), T0 + 5400);
    expect(off).toContain('disconnected — waiting for the daemon to come back');
    expect(off).toContain('M —  S —  I — LUFS');
  });

  it('a profile that did not reload keeps its banner until a reload goes through, even one that changes no value', () => {
    let s = applyEvent(running(), { type: 'event', topic: 'profile/reload_failed', data: { profile: 'default', file: 'x.toml', line: 3, reason: 'x.toml:3: agc.target_lufs must be a number' } }, T0 + 5000);
    expect(frame(s, T0 + 30_000)).toContain('profile not reloaded: x.toml:3: agc.target_lufs must be a number');
    s = applyEvent(s, { type: 'event', topic: 'profile/changed', data: { profile: 'default', reason: 'reload', changed: [] } }, T0 + 31_000);
    expect(frame(s, T0 + 31_100)).not.toContain('profile not reloaded');
  });

  it('sound that cannot flow is the first banner, with what to do; it goes when the daemon says so', () => {
    const reasons = [{ code: 'wireplumber_gone' as const, message: 'WirePlumber is not running', hint: 'Start it: systemctl --user start wireplumber' }];
    let s = applyEvent(running(), { type: 'event', topic: 'daemon/health', data: { state: 'unhealthy', reasons } }, T0 + 5000);
    s = applyEvent(s, { type: 'event', topic: 'daemon/error', data: { what: 'x', message: 'another error' } }, T0 + 5000);
    const out = frame(s, T0 + 5100, 120, 30);
    expect(out).toContain('SOUND CANNOT FLOW: WirePlumber is not running → Start it: systemctl --user start wireplumber');
    expect(out).not.toContain('another error');
    s = applyEvent(s, { type: 'event', topic: 'daemon/health', data: { state: 'ok', reasons: [] } }, T0 + 6000);
    expect(frame(s, T0 + 6100, 120, 30)).not.toContain('SOUND CANNOT FLOW');
    // and a monitor that connects while it lasts shows it from the status
    expect(frame(initialState({ ...status, health: { state: 'unhealthy', reasons } }, ['*'], T0), T0, 120, 30)).toContain('SOUND CANNOT FLOW');
  });

  it("the uptime is the daemon's: a monitor that connects (or reconnects) late shows the daemon's age", () => {
    const late = initialState({ ...status, daemon: { ...status.daemon, startedAt: new Date(T0 - 13 * 60_000).toISOString(), uptimeSeconds: 1 } }, ['*'], T0);
    expect(frame(late, T0 + 26_000)).toContain('up 13m');
  });

  it('follows streams and Layer A events', () => {
    let s = running();
    s = applyEvent(s, routed(13, 'mpv', 'direct', 'user'), T0);
    s = applyEvent(s, { type: 'event', topic: 'meters/layer_a_level', data: { serial: 10, nodeId: 40, app: 'Firefox', volumeLin: 0.6683, gainDb: -3.5, reason: 'level', loudnessLufs: -20 } }, T0);
    s = applyEvent(s, { type: 'event', topic: 'routing/stream_removed', data: { serial: 11, nodeId: 41, app: 'AdBlaster 3000 with a very long name indeed' } }, T0);
    const out = frame(s, T0 + 5000);
    expect(out).toMatch(/mpv\s+direct\s+user/);
    expect(out).toMatch(/Firefox\s+processed\s+default\s+-20\.0\s+-3\.5 dB cut/);
    expect(out).not.toContain('AdBlaster');
  });

  it('shows your route rules and follows their changes', () => {
    let s: MonitorState = { ...running(), rules: [{ app: 'Spotify', route: 'direct' }] };
    expect(frame(s, T0 + 5000)).toContain('your rules: Spotify → direct');
    s = applyEvent(s, { type: 'event', topic: 'routing/rule_changed', data: { app: 'firefox', route: 'processed' } }, T0);
    s = applyEvent(s, { type: 'event', topic: 'routing/rule_changed', data: { app: 'spotify', route: 'processed' } }, T0);
    expect(frame(s, T0 + 5000)).toContain('your rules: firefox → processed, spotify → processed');
    s = applyEvent(s, { type: 'event', topic: 'routing/rule_changed', data: { app: 'FIREFOX', route: null } }, T0);
    s = applyEvent(s, { type: 'event', topic: 'routing/rule_changed', data: { app: 'Spotify', route: null } }, T0);
    expect(s.rules).toEqual([]);
    expect(frame(s, T0 + 5000)).not.toContain('your rules');
    // with rules and a full table it still fits 80x24
    for (let i = 0; i < 30; i++) s = applyEvent(s, routed(200 + i, `app-${i}`, 'processed', 'default'), T0);
    s = applyEvent(s, { type: 'event', topic: 'routing/rule_changed', data: { app: 'mpv', route: 'direct' } }, T0);
    const lines = frame(s, T0 + 5000).split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines).toContain('your rules: mpv → direct');
  });

  it('degrades gracefully at 40x12: no line wider than the terminal, streams cut with a count', () => {
    let s = running();
    for (let i = 0; i < 20; i++) s = applyEvent(s, routed(100 + i, `app-${i}`, 'processed', 'default'), T0);
    const out = frame(s, T0 + 5000, 40, 12);
    const lines = out.split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(40);
    expect(out).toMatch(/… \d+ more/);
    expect(lines.length).toBeLessThanOrEqual(14);
  });

  it('an idle screen is drawn again only when the clock changes what it shows', () => {
    const s = initialState(status, ['*'], T0); // 75 s old, no meter tick yet
    expect(clockShows(s, T0 + 1000)).toBe(clockShows(s, T0 + 40_000)); // "up 1m" all along
    expect(clockShows(s, T0 + 50_000)).not.toBe(clockShows(s, T0 + 40_000)); // 2m
    const ticking = applyEvent(s, tick(-20), T0);
    expect(clockShows(ticking, T0 + 100)).not.toBe(clockShows(ticking, T0 + 5000)); // the meters go stale
    const noticed = { ...s, notice: { text: 'moved', at: T0 } };
    expect(clockShows(noticed, T0 + 1000)).not.toBe(clockShows(noticed, T0 + 6000)); // the notice ends
  });

  it('draws bars, sparklines and uptimes exactly', () => {
    expect(bar(0, -30, 12, 8, 0)).toBe('█████│··');
    expect(bar(20, 0, 20, 5)).toBe('█████');
    expect(sparkline([-48, null, -8], 3, -48, -8)).toBe('▁ █');
    expect([uptime(42.7), uptime(3725), uptime(13 * 60 + 59), uptime(2 * 86400 + 3 * 3600 + 5)]).toEqual(['42s', '1h 02m', '13m', '2d 3h']);
    expect([peakColour(-0.5, -1), peakColour(-3, -1), peakColour(-20, -1), peakColour(null, -1)]).toEqual(['red', 'yellow', 'green', 'green']);
  });

  it('apps that share a name are told apart: by what they play, else by process, else by serial', () => {
    const tab = (serial: number, mediaName: string | null, pid: number | null): EventMessage => ({ type: 'event', topic: 'routing/stream_routed', data: { serial, nodeId: serial, app: 'Firefox', binary: 'firefox', pid, mediaName, route: 'processed', rule: 'default' } });
    let s = initialState({ ...status, streams: [] }, ['*'], T0);
    s = applyEvent(applyEvent(s, tab(20, 'YouTube', 7), T0), tab(21, 'Podcast', 7), T0);
    expect(frame(s, T0 + 10)).toMatch(/Firefox · YouTube[\s\S]*Firefox · Podcast/);
    s = applyEvent(applyEvent(initialState({ ...status, streams: [] }, ['*'], T0), tab(30, null, 7), T0), tab(31, null, 8), T0);
    expect(frame(s, T0 + 10)).toMatch(/Firefox \(pid 7\)[\s\S]*Firefox \(pid 8\)/);
    s = applyEvent(applyEvent(initialState({ ...status, streams: [] }, ['*'], T0), tab(40, null, null), T0), tab(41, null, null), T0);
    expect(frame(s, T0 + 10)).toMatch(/Firefox #40[\s\S]*Firefox #41/);
  });

  it('the keys: a selected row, the help screen, what the last key did', () => {
    let s = running();
    expect(frame(s, T0 + 5000)).toMatch(/^› Firefox/m); // the first row until one is chosen
    s = moveSelection(moveSelection(s, 1), 5);
    expect(selectedRow(s)?.app).toBe('Volume meter');
    expect(frame(s, T0 + 5000)).toMatch(/^› Volume meter/m);
    expect(frame({ ...s, notice: { text: 'bypass on: the bus plays unprocessed', at: T0 + 4000 } }, T0 + 5000)).toContain('bypass on: the bus plays unprocessed');
    const help = frame({ ...s, help: true }, T0 + 5000);
    for (const k of ['select an app', 'move the selected app', 'bypass the bus processing', 'next profile', 'quit']) expect(help).toContain(k);
  });

  it('a 120x40 terminal is used: longer gauges, whole names, every row', () => {
    let s = running();
    for (let i = 0; i < 20; i++) s = applyEvent(s, routed(300 + i, `app-${i}`, 'processed', 'default'), T0);
    const small = frame(s, T0 + 5000, 80, 24), big = frame(s, T0 + 5000, 120, 40);
    expect(small).toMatch(/… \d+ more/);
    expect(big).not.toContain('more');
    expect(big).toContain('AdBlaster 3000 with a very long name indeed');
    expect(big.split('\n').length).toBeLessThanOrEqual(40);
    expect(Math.max(...big.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(120);
    const gauge = (out: string) => /Comp ([█·│]+)/.exec(out)?.[1]?.length ?? 0;
    expect(gauge(big)).toBeGreaterThan(gauge(small));
  });

  it('a repeated meter reading changes nothing on the screen (the monitor then draws once a second)', () => {
    const s = applyEvent(initialState(status, ['*'], T0), tick(-20), T0);
    expect(repeatsTick(s, tick(-20))).toBe(true);
    expect(repeatsTick(s, tick(-19.9))).toBe(false);
    expect(repeatsTick(initialState(status, ['*'], T0), tick(-20))).toBe(false);
  });
});
