import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion, pipewireVersionProblem, SUPPORTED, wireplumberVersionProblem } from '../../../src/orchestrator/pipewire/supported-versions.js';

describe('supported versions', () => {
  it('parses and orders dotted versions', () => {
    expect(parseVersion('1.4.2')).toEqual([1, 4, 2]);
    expect(parseVersion('1.4.2-rc1')).toBeUndefined();
    expect(compareVersions([0, 3, 65], [1, 4, 2])).toBeLessThan(0);
    expect(compareVersions([0, 3, 100], [0, 3, 65])).toBeGreaterThan(0);
    expect(compareVersions([1, 4], [1, 4, 0])).toBe(0);
  });

  it('says PipeWire older than 0.3.65 is not tested; 0.3.65 to 1.4 and unknown versions are fine', () => {
    expect(SUPPORTED).toBe('PipeWire 0.3.65 to 1.4, WirePlumber 0.4 and 0.5');
    for (const v of ['0.3.65', '0.3.83', '1.0.5', '1.4.2', undefined, '?']) expect(pipewireVersionProblem(v)).toBeUndefined();
    expect(pipewireVersionProblem('0.3.48')).toBe(`older than 0.3.65, the oldest headroom is tested on (${SUPPORTED})`);
  });

  it('says WirePlumber outside 0.4 and 0.5 is not tested', () => {
    for (const v of ['0.4.13', '0.4.17', '0.5.8', undefined]) expect(wireplumberVersionProblem(v)).toBeUndefined();
    expect(wireplumberVersionProblem('0.3.96')).toMatch(/^older than/);
    expect(wireplumberVersionProblem('0.6.0')).toMatch(/^newer than/);
  });
});
