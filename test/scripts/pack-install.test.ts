// An install for users: the packed tarball installed with `npm install -g` (into a temp
// prefix) builds its native parts and runs, with nothing of the clone's; the service unit
// it writes runs that installation.
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-pack-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm install -g of the packed tarball', () => {
  it('installs, builds the engine and the addon, and runs from its own place', async () => {
    const packed = await execa('npm', ['pack', '--pack-destination', dir], { cwd: ROOT });
    const tarball = path.join(dir, packed.stdout.trim().split('\n').at(-1)!);
    const listing = await execa('tar', ['-tzf', tarball]);
    expect(listing.stdout).not.toMatch(/native\/[^/]+\/build\//); // nothing built here is shipped
    expect(listing.stdout).toContain('package/dist/monitor.bundle.js'); // the monitor's screen, made at pack time
    const prefix = path.join(dir, 'prefix');
    const installed = await execa('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { reject: false, env: { ...process.env, npm_config_update_notifier: 'false' } });
    expect(installed.exitCode, installed.stderr).toBe(0);
    const pkg = path.join(prefix, 'lib', 'node_modules', 'headroom');
    expect(existsSync(path.join(pkg, 'native', 'filter-host', 'build', 'headroom-filter-host'))).toBe(true);
    expect(existsSync(path.join(pkg, 'native', 'addon', 'build', 'Release', 'headroom_dsp.node'))).toBe(true);
    const bin = path.join(prefix, 'bin', 'headroom');
    const env = { ...process.env, NODE_ENV: 'production', XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state') };
    const version = await execa(bin, ['version', '--json'], { env });
    expect(JSON.parse(version.stdout).version).toMatch(/^\d+\.\d+\.\d+/);
    const settings = await execa(bin, ['settings', '--json'], { env, reject: false });
    expect(settings.exitCode, settings.stderr).toBe(0);
    await execa(bin, ['service', 'install', '--no-start', '--unit-dir', path.join(dir, 'units'), '--profile', 'night'], { env });
    const unit = await readFile(path.join(dir, 'units', 'headroom.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} --max-semi-space-size=4 --v8-pool-size=1 ${path.join(pkg, 'bin', 'run.js')} start --profile night`);
  }, 240_000);
});
