// fish completes headroom from the generated file: commands, topics' subcommands, the values
// an argument takes.
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const complete = async (line: string) => {
  const r = await execa('fish', ['--no-config', '-c', `source ${path.join(ROOT, 'completions', 'headroom.fish')}; complete -C ${JSON.stringify(line)}`]);
  return r.stdout.split('\n').map((l) => l.split('\t')[0]);
};

describe('completions/headroom.fish', () => {
  it('completes commands, subcommands and argument values', async () => {
    expect(await complete('headroom sta')).toEqual(expect.arrayContaining(['start', 'status']));
    expect(await complete('headroom route ')).toEqual(expect.arrayContaining(['list', 'set', 'unset']));
    expect(await complete('headroom bypass ')).toEqual(expect.arrayContaining(['on', 'off']));
    expect(await complete('headroom start --log')).toEqual(['--log-level']);
  });
});
