import { describe, expect, it } from 'vitest';
import { nextProfile, toggleBypass, toggleRoute, type Call } from '../../src/ui/monitor-actions.js';
import type { MonitorState, StreamRow } from '../../src/ui/monitor-state.js';

/** A daemon that answers what it is asked and records it. */
function fakeDaemon() {
  const asked: [string, unknown][] = [];
  let bypass = false;
  const call = (async (op: string, params?: unknown) => {
    asked.push([op, params]);
    if (op === 'status') return { daemon: { bypass } };
    if (op === 'bypass.set') return { bypass: (bypass = (params as { on: boolean }).on) };
    if (op === 'profile.list') return { active: 'music', profiles: ['default', 'music', 'night'].map((name) => ({ name, builtin: true, user: false, active: name === 'music', description: null })) };
    if (op === 'profile.use') return { profile: (params as { name: string }).name };
    if (op === 'route.set') return { rules: [] };
    throw new Error(`unexpected ${op}`);
  }) as unknown as Call;
  return { call, asked };
}

const state = (over: Partial<MonitorState>) => ({ profile: 'music', streams: new Map(), ...over }) as MonitorState;
const row: StreamRow = { serial: 5, app: 'Spotify', binary: null, pid: null, mediaName: null, route: 'processed', rule: 'default', loudnessLufs: -8, gainDb: -10, reason: 'level' };

describe('the monitor keys', () => {
  it('b flips bypass from what the daemon says now, twice in a row without a tick between', async () => {
    const d = fakeDaemon();
    expect(await toggleBypass(d.call)).toBe('bypass on: the bus plays unprocessed');
    expect(await toggleBypass(d.call)).toBe('bypass off: processing again');
    expect(d.asked).toEqual([['status', undefined], ['bypass.set', { on: true }], ['status', undefined], ['bypass.set', { on: false }]]);
  });

  it('p goes to the next profile, round to the first', async () => {
    const d = fakeDaemon();
    expect(await nextProfile(d.call, state({ profile: 'music' }))).toBe('profile night');
    expect(await nextProfile(d.call, state({ profile: 'night' }))).toBe('profile default');
  });

  it('m moves the selected app to the other route as your rule, and needs a row', async () => {
    const d = fakeDaemon();
    expect(await toggleRoute(d.call, row)).toBe('Spotify → direct (kept as your rule; headroom route unset "Spotify" undoes it)');
    expect(d.asked).toEqual([['route.set', { app: 'Spotify', route: 'direct' }]]);
    expect(await toggleRoute(d.call, undefined)).toBe('no app selected (↑ ↓ select one)');
  });
});
