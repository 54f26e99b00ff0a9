// The CLI as a newcomer meets it (no daemon needed): a typo names the command meant, -h and
// version work, help says each thing once, a missing argument is named.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { headroom, ROOT } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';

describe('the CLI follows the conventions', () => {
  it.each([
    ['stat', 'status'],
    ['rout', 'route'],
    ['profile lst', 'profile list'],
  ])('"%s" is no command: one line naming "%s", exit 2', async (typed, meant) => {
    const r = await headroom(typed.split(' '));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`headroom: "${typed}" is not a headroom command; did you mean "${meant}"?\n  Every command: headroom help`);
    const j = await headroom([...typed.split(' '), '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toEqual({ error: { code: 'unknown_command', message: `"${typed}" is not a headroom command; did you mean "${meant}"?`, hint: 'Every command: headroom help' } });
  });

  it('a word near nothing gets no guess', async () => {
    expect((await headroom(['xyzzy'])).stderr).toBe('headroom: "xyzzy" is not a headroom command\n  Every command: headroom help');
  });

  it('-h is help, and help says each description once', async () => {
    const h = await headroom(['route', 'set', '-h']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('USAGE\n  $ headroom route set APP ROUTE');
    expect(h.stdout.match(/straight to your output/g)).toHaveLength(1);
    const top = await headroom(['-h']);
    expect(top.stdout).toMatch(/route\s+Decide which apps go through headroom/);
    expect(top.stdout).toMatch(/autocomplete\s+/);
  });

  it('version, --version and -v', async () => {
    const v = await headroom(['version', '--json']);
    expect(v.code).toBe(0);
    expect(schemaErrors('output.version', JSON.parse(v.stdout))).toEqual([]);
    expect(JSON.parse(v.stdout)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), node: process.version, platform: `${process.platform}-${process.arch}` });
    for (const flag of ['--version', '-v']) expect((await headroom([flag])).stdout).toMatch(/^headroom\/\d+\.\d+\.\d+ /);
  });

  it('a missing argument is named', async () => {
    const r = await headroom(['route', 'set']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('headroom: Missing 2 required args: app, route\n  See: headroom route set --help');
    expect((await headroom(['route', 'set', 'mpv'])).stderr).toContain('Missing 1 required arg: route\n  See:');
  });

  it('an error nothing caught: one line and what to do, exit 1, no stack trace', async () => {
    // a fault from outside any command (test/fixtures/fault-after-start.mjs, loaded first)
    const env = { NODE_OPTIONS: `--import=${path.join(ROOT, 'test', 'fixtures', 'fault-after-start.mjs')}` };
    const r = await headroom(['version'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('headroom: boom outside any command\n  This is a bug in headroom: please report it with the command you ran (HEADROOM_DEBUG=1 prints where it happened)');
    const j = await headroom(['version', '--json'], env);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'internal', message: 'boom outside any command' } });
  });
});
