import { describe, expect, it } from 'vitest';
import { defaultSettings, type Profile } from '../../src/profile/schema.js';
import { settingRow, settingRows, withReset, withSet } from '../../src/profile/user-settings.js';

const night: Profile = { name: 'night', description: 'quiet', source: 'built-in', rules: [], devices: [], settings: { ...defaultSettings(), 'agc.target_lufs': -23 } };

describe('your settings', () => {
  it('rows carry the value, the profile value, the unit and the range', () => {
    expect(settingRow(night, { 'agc.target_lufs': -20 }, 'agc.target_lufs')).toEqual({
      key: 'agc.target_lufs', value: -20, profileValue: -23, overridden: true, default: -18, unit: 'LUFS', range: '-40 … -5 LUFS',
    });
    const rows = settingRows(night, undefined);
    expect(rows.find((r) => r.key === 'layer_a.enabled')).toMatchObject({ value: true, unit: null, range: 'true or false', overridden: false });
    expect(rows.find((r) => r.key === 'routing.default')).toMatchObject({ range: 'processed or direct' });
  });

  it('set keeps a change, and nothing for a value equal to the profile\'s', () => {
    expect(withSet(night, undefined, 'agc.target_lufs', '-16')).toEqual({ 'agc.target_lufs': -16 });
    expect(withSet(night, { 'agc.target_lufs': -16, 'compressor.ratio': 3 }, 'agc.target_lufs', -23)).toEqual({ 'compressor.ratio': 3 });
    expect(withSet(night, undefined, 'layer_a.enabled', 'true')).toEqual({});
  });

  it('a wrong value or key says what the key takes', () => {
    expect(() => withSet(night, undefined, 'agc.target_lufs', '99')).toThrow('agc.target_lufs = 99 is out of range [-40, -5] LUFS');
    expect(() => withSet(night, undefined, 'agc.target', '-16')).toThrow('unknown setting "agc.target"');
  });

  it('reset forgets one key or all, and says which', () => {
    const own = { 'agc.target_lufs': -16, 'compressor.ratio': 3 };
    expect(withReset(own, 'agc.target_lufs')).toEqual({ next: { 'compressor.ratio': 3 }, reset: ['agc.target_lufs'] });
    expect(withReset(own, 'limiter.release_ms')).toEqual({ next: own, reset: [] });
    expect(withReset(own)).toEqual({ next: {}, reset: ['agc.target_lufs', 'compressor.ratio'] });
    expect(() => withReset(own, 'nope')).toThrow('unknown setting "nope"');
  });
});
