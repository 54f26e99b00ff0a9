// The systemd user unit: written to a unit directory in a temp dir, verified by
// systemd-analyze, and systemctl driven in order (a fake systemctl on PATH records it:
// mocked at the exec boundary only).
import { execa } from 'execa';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installService, serviceStatus, uninstallService } from '../../../src/orchestrator/system/service.js';
import { unitText } from '../../../src/orchestrator/system/systemd-unit.js';
import { NODE_FLAGS } from '../../../src/node-flags.js';
import { ROOT } from '../../helpers/cli.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const calls = () => readFile(path.join(dir, 'calls'), 'utf8').then((t) => t.trim().split('\n'), () => []);

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-unit-'));
  const fake = path.join(dir, 'bin', 'systemctl');
  await execa('mkdir', ['-p', path.join(dir, 'bin')]);
  await writeFile(fake, `#!/bin/sh\necho "$*" >> "${dir}/calls"\ncase "$2" in is-enabled) echo enabled;; is-active) echo active;; is-system-running) m=$(cat "${dir}/manager" 2>/dev/null || echo running); echo $m; [ $m != offline ];; esac\n`);
  await chmod(fake, 0o755);
  env = { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('headroom service', () => {
  it('writes a unit that runs with PipeWire and restarts on failure', () => {
    const u = unitText(['/usr/bin/node', '/opt/head room/bin/run.js', 'start']);
    for (const line of ['Type=exec', 'Restart=on-failure', 'RestartSec=1', 'KillMode=mixed', 'TimeoutStopSec=15', 'After=pipewire.service wireplumber.service', 'BindsTo=pipewire.service', 'WantedBy=pipewire.service', 'SyslogIdentifier=headroom'])
      expect(u.split('\n')).toContain(line);
    expect(u).toContain('ExecStart=/usr/bin/node "/opt/head room/bin/run.js" start');
  });

  it('runs this node and this installation, with the start flags it was given', async () => {
    const units = path.join(dir, 'units');
    await installService({ unitDir: units, start: false, env, flags: { profile: 'late night', sink: 'alsa_output.usb', autoPromote: true } });
    const exec = (await readFile(path.join(units, 'headroom.service'), 'utf8')).split('\n').find((l) => l.startsWith('ExecStart='));
    expect(exec).toBe(`ExecStart=${process.execPath} --max-semi-space-size=4 --v8-pool-size=1 ${path.join(ROOT, 'bin', 'run.js')} start --profile "late night" --sink alsa_output.usb --auto-promote`);
  });

  it("gives Node the flags bin/run.js's first line gives it", async () => {
    const shebang = (await readFile(path.join(ROOT, 'bin', 'run.js'), 'utf8')).split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
  });

  it('install writes, enables and starts it; status reads it; uninstall stops, disables and removes it', async () => {
    const units = path.join(dir, 'units');
    const s = await installService({ unitDir: units, start: true, env });
    expect(s).toEqual({ unitPath: path.join(units, 'headroom.service'), installed: true, enabled: 'enabled', active: 'active', manager: 'running' });
    const asked = ['--user is-enabled headroom.service', '--user is-active headroom.service', '--user is-system-running'];
    expect(await calls()).toEqual(['--user is-system-running', '--user daemon-reload', '--user enable headroom.service', '--user restart headroom.service', ...asked]);
    expect((await serviceStatus({ unitDir: units, env })).installed).toBe(true);
    const u = await uninstallService({ unitDir: units, stop: true, env });
    expect(u.installed).toBe(false);
    expect((await calls()).slice(10)).toEqual(['--user is-system-running', '--user disable --now headroom.service', '--user daemon-reload', ...asked]);
  });

  it('with no systemd user instance: install and uninstall refuse before changing anything; --no-start still writes the unit', async () => {
    const units = path.join(dir, 'units');
    await writeFile(path.join(dir, 'manager'), 'offline\n');
    await expect(installService({ unitDir: units, start: true, env })).rejects.toThrow('no systemd user instance answers (systemctl --user is-system-running: offline), so headroom.service was not installed');
    expect(await readFile(path.join(units, 'headroom.service'), 'utf8').catch(() => 'absent')).toBe('absent');
    expect(await calls()).toEqual(['--user is-system-running']);
    const s = await installService({ unitDir: units, start: false, env });
    expect(s).toMatchObject({ installed: true, manager: 'unknown' });
    await expect(uninstallService({ unitDir: units, stop: true, env })).rejects.toThrow('so headroom.service was not removed');
    expect(await serviceStatus({ unitDir: units, env })).toMatchObject({ installed: true, manager: 'offline' });
    expect((await calls()).filter((c) => !/is-(system-running|enabled|active)/.test(c))).toEqual([]); // nothing was asked to change
  });

  it('passes systemd-analyze verify', async () => {
    const units = path.join(dir, 'units');
    await installService({ unitDir: units, start: false, env });
    // stand-ins for the units it depends on: verify resolves dependencies by name
    for (const u of ['pipewire.service', 'wireplumber.service']) await writeFile(path.join(units, u), '[Unit]\nDescription=stand-in\n[Service]\nExecStart=/bin/true\n');
    const r = await execa('systemd-analyze', ['verify', path.join(units, 'headroom.service')], { env: { ...process.env, SYSTEMD_UNIT_PATH: `${units}:` }, reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
