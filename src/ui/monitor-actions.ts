// What the monitor's keys do, through the connection it already has: bypass on and off, the
// next profile, the selected app moved between processed and direct (a rule of yours, kept
// like `headroom route set`). Each returns the line the monitor shows for a few seconds.
import type { Subscription } from '../orchestrator/control/control-client.js';
import type { MonitorState, StreamRow } from './monitor-state.js';

export type Call = Subscription['call'];

export const KEYS: readonly [string, string][] = [
  ['↑ ↓', 'select an app'],
  ['m', 'move the selected app: processed ⇄ direct (a rule of yours; headroom route unset APP undoes it)'],
  ['b', 'bypass the bus processing on / off'],
  ['p', 'switch to the next profile'],
  ['?', 'this help (any key closes it)'],
  ['q Esc', 'quit'],
];

/** Bypass flipped from what the daemon says now (a meter tick showing the last flip may not
 * have come yet: two quick presses turn it on and off). */
export async function toggleBypass(call: Call): Promise<string> {
  const { daemon } = await call('status');
  const { bypass } = await call('bypass.set', { on: !daemon.bypass });
  return `bypass ${bypass ? 'on: the bus plays unprocessed' : 'off: processing again'}`;
}

export async function nextProfile(call: Call, s: MonitorState): Promise<string> {
  const { profiles } = await call('profile.list');
  const names = profiles.map((p) => p.name);
  const next = names[(names.indexOf(s.profile) + 1) % names.length] ?? s.profile;
  const { profile } = await call('profile.use', { name: next });
  return `profile ${profile}`;
}

export async function toggleRoute(call: Call, row: StreamRow | undefined): Promise<string> {
  if (!row) return 'no app selected (↑ ↓ select one)';
  const route = row.route === 'direct' ? 'processed' : 'direct';
  await call('route.set', { app: row.app, route });
  return `${row.app} → ${route} (kept as your rule; headroom route unset ${JSON.stringify(row.app)} undoes it)`;
}
