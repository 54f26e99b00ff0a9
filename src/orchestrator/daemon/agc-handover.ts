// The bus AGC and Layer A as one controller. While Layer A levels every app in the bus, the
// AGC lifts nothing (Layer A lifts, each app on its own, and never what is barely playing)
// and is aimed at the mix Layer A makes — several apps each at the target are louder
// together than the target — so it cuts only what Layer A has not caught yet, and gives
// that back quickly once Layer A has. When some app
// in the bus is not Layer A's (a rule's `layer_a = false`, Layer A off, failed safe), the
// AGC works with the profile's own target and lift.
import { SETTINGS_BY_KEY, type NumberKey, type Profile } from '../../profile/schema.js';
import type { Command } from '../../wire/filter-host-protocol.js';

const TARGET_MAX = (SETTINGS_BY_KEY.get('agc.target_lufs') as NumberKey).max;
/** A change of target smaller than this is not sent. */
const MIN_STEP_DB = 0.25;

export interface AgcAim {
  targetLufs: number;
  maxGainDb: number;
  boostDbPerS: number;
}

/** While Layer A leads, the AGC climbs back from a cut this fast at least: it lifts nothing
 * above 0 dB then, and a cut it made before Layer A caught a loud start is no longer owed
 * to the other apps for seconds. */
export const LEAD_BOOST_DB_PER_S = 10;

/** What the AGC is aimed at. Pure. */
export function agcAim(p: Profile, layerALeads: boolean, mixLufs: number | undefined): AgcAim {
  const target = p.settings['agc.target_lufs'] as number;
  const maxGain = p.settings['agc.max_gain_db'] as number;
  const boost = p.settings['agc.boost_speed_db_per_s'] as number;
  if (!layerALeads) return { targetLufs: target, maxGainDb: maxGain, boostDbPerS: boost };
  return { targetLufs: Math.min(TARGET_MAX, Math.max(target, mixLufs ?? target)), maxGainDb: Math.min(0, maxGain), boostDbPerS: Math.max(boost, LEAD_BOOST_DB_PER_S) };
}

export class AgcHandover {
  /** what the engine has now: the profile's values until this sends others */
  private sent: AgcAim;

  constructor(
    private readonly profile: () => Profile,
    private readonly send: (c: Command) => Promise<unknown>,
  ) {
    this.sent = agcAim(profile(), false, undefined);
  }

  /** The engine was given the profile's values (a new filter-host, a profile change). */
  reset(): void {
    this.sent = agcAim(this.profile(), false, undefined);
  }

  update(layerALeads: boolean, mixLufs: number | undefined): void {
    const want = agcAim(this.profile(), layerALeads, mixLufs);
    const was = this.sent;
    this.sent = want;
    if (want.maxGainDb !== was.maxGainDb) void this.send({ kind: 'setParam', key: 'agc.max_gain_db', value: want.maxGainDb }).catch(() => undefined);
    if (want.boostDbPerS !== was.boostDbPerS) void this.send({ kind: 'setParam', key: 'agc.boost_speed_db_per_s', value: want.boostDbPerS }).catch(() => undefined);
    if (Math.abs(want.targetLufs - was.targetLufs) >= MIN_STEP_DB || (want.targetLufs !== was.targetLufs && want.targetLufs === this.profile().settings['agc.target_lufs']))
      void this.send({ kind: 'setParam', key: 'agc.target_lufs', value: want.targetLufs }).catch(() => undefined);
    else this.sent = { ...want, targetLufs: was.targetLufs };
  }
}
