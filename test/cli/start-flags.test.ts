import { Parser } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { parseStartArgv, START_FLAGS } from '../../src/cli/start-flags.js';
import Start from '../../src/commands/start.js';

/** What oclif makes of `start`'s arguments, as the daemon's options. */
async function viaOclif(argv: string[]) {
  const { flags } = await Parser.parse(argv, { flags: Start.flags, strict: true });
  return { profile: flags.profile, sink: flags.sink, autoPromote: flags['auto-promote'] ?? false, logLevel: flags['log-level'] };
}

describe("start's flags, parsed without oclif", () => {
  it('are the command\'s flags, by name and short name', () => {
    expect(Object.keys(START_FLAGS).sort()).toEqual(Object.keys(Start.flags).sort());
    for (const [name, f] of Object.entries(Start.flags)) expect([name, f.char]).toEqual([name, (START_FLAGS[name as keyof typeof START_FLAGS] as { short?: string }).short]);
  });

  it('give the daemon the options oclif gives it', async () => {
    const cases = [[], ['--profile', 'night'], ['-p', 'night'], ['--profile=night shift'], ['--sink', 'alsa_output.pci', '--auto-promote'], ['--log-level', 'debug'], ['--log-level=warn', '-p', 'a', '--sink=b']];
    for (const argv of cases) expect(parseStartArgv(argv), argv.join(' ')).toEqual(await viaOclif(argv));
  });

  it('leave to oclif what they do not fully understand: help, --json, a typo, a missing or bad value, an argument', () => {
    for (const argv of [['--help'], ['-h'], ['--json'], ['--profiel', 'x'], ['--profile'], ['--profile='], ['--log-level', 'loud'], ['night'], ['--auto-promote=yes']])
      expect(parseStartArgv(argv), argv.join(' ')).toBeUndefined();
  });
});
