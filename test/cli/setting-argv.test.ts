import { describe, expect, it } from 'vitest';
import { settingArgv } from '../../src/cli/setting-argv.js';

describe('settingArgv', () => {
  it.each([
    [['agc.target_lufs', '-16'], ['--', 'agc.target_lufs', '-16']],
    [['agc.target_lufs=-16'], ['--', 'agc.target_lufs', '-16']],
    [['--json', 'routing.default=direct'], ['--json', '--', 'routing.default', 'direct']],
    [['layer_a.enabled', 'false', '--json'], ['--json', '--', 'layer_a.enabled', 'false']],
    // only the first "=" splits: a value may hold one
    [['x.y=a=b'], ['--', 'x.y', 'a=b']],
    // "=value" is no key: left for the parser to refuse
    [['=3'], ['--', '=3']],
  ])('%j -> %j', (argv, want) => {
    expect(settingArgv(argv)).toEqual(want);
  });
});
