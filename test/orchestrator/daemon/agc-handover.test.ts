import { describe, expect, it } from 'vitest';
import { AgcHandover, agcAim } from '../../../src/orchestrator/daemon/agc-handover.js';
import { defaultSettings, type Profile } from '../../../src/profile/schema.js';
import type { Command } from '../../../src/wire/filter-host-protocol.js';

const profile: Profile = { name: 'default', description: '', settings: defaultSettings(), rules: [], devices: [], source: 'built-in' };

describe('the bus AGC while Layer A levels the apps', () => {
  it("lifts nothing and aims at Layer A's mix, never under the profile's target; the profile's own values otherwise", () => {
    expect(agcAim(profile, true, -13.2)).toEqual({ targetLufs: -13.2, maxGainDb: 0, boostDbPerS: 10 });
    expect(agcAim(profile, true, -30)).toEqual({ targetLufs: -18, maxGainDb: 0, boostDbPerS: 10 });
    expect(agcAim(profile, true, undefined)).toEqual({ targetLufs: -18, maxGainDb: 0, boostDbPerS: 10 });
    expect(agcAim(profile, true, 3)).toEqual({ targetLufs: -5, maxGainDb: 0, boostDbPerS: 10 }); // within the key's range
    expect(agcAim(profile, false, -13.2)).toEqual({ targetLufs: -18, maxGainDb: 12, boostDbPerS: 1.5 });
  });

  it('sends only what changes, and the profile again when Layer A stops leading', () => {
    const sent: Command[] = [];
    const h = new AgcHandover(() => profile, async (c) => { sent.push(c); });
    h.update(false, undefined);
    expect(sent).toEqual([]);
    h.update(true, -16);
    expect(sent).toEqual([{ kind: 'setParam', key: 'agc.max_gain_db', value: 0 }, { kind: 'setParam', key: 'agc.boost_speed_db_per_s', value: 10 }, { kind: 'setParam', key: 'agc.target_lufs', value: -16 }]);
    sent.length = 0;
    h.update(true, -15.9); // under the step
    h.update(true, -16.1);
    expect(sent).toEqual([]);
    h.update(true, -15.5);
    expect(sent).toEqual([{ kind: 'setParam', key: 'agc.target_lufs', value: -15.5 }]);
    sent.length = 0;
    h.update(false, -15.5);
    expect(sent).toEqual([{ kind: 'setParam', key: 'agc.max_gain_db', value: 12 }, { kind: 'setParam', key: 'agc.boost_speed_db_per_s', value: 1.5 }, { kind: 'setParam', key: 'agc.target_lufs', value: -18 }]);
    // a new engine starts with the profile's values: sent again from there
    sent.length = 0;
    h.update(true, -16);
    h.reset();
    h.update(true, -16);
    expect(sent.filter((c) => c.kind === 'setParam' && c.key === 'agc.max_gain_db')).toHaveLength(2);
  });
});
