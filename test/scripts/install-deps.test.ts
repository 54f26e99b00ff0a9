// scripts/install-deps.sh on each distribution family it knows, in --print mode (it says
// what it would install and changes nothing): the same packages by each family's names, no
// version-pinned names, and running's needs apart from building's and testing's.
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const deps = (...args: string[]) => execa('bash', [path.join(ROOT, 'scripts', 'install-deps.sh'), '--print', ...args], { reject: false });
const packages = (stdout: string) => stdout.split('\n')[0]!.split(' ').filter((w) => /^[a-z0-9][a-z0-9.+-]*$/.test(w) && !['apt-get', 'install', 'dnf', 'pacman', 'sudo'].includes(w));

describe('install-deps', () => {
  const families = [
    ['debian', 'apt-get install -y --no-install-recommends', ['pipewire-bin', 'wireplumber', 'libpipewire-0.3-dev', 'pipewire-pulse', 'pipewire-alsa', 'clang']],
    ['fedora', 'dnf install -y', ['pipewire-utils', 'wireplumber', 'pipewire-devel', 'pipewire-pulseaudio', 'compiler-rt']],
    ['arch', 'pacman -S --needed --noconfirm', ['pipewire', 'wireplumber', 'pipewire-pulse', 'compiler-rt']],
  ] as const;
  for (const [family, command, some] of families) {
    it(`prints the ${family} install line: its package names, none pinned to a version`, async () => {
      const r = await deps('--distro', family);
      expect(r.exitCode).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^(sudo )?${command.replace(/ /g, ' ')} `));
      const all = packages(r.stdout);
      for (const p of some) expect(all).toContain(p);
      // a major version in a package name breaks on the next release (libclang-rt-14-dev is not in Debian 13)
      expect(all.filter((p) => /-\d+-dev$|clang-\d+|-rt-\d+/.test(p))).toEqual([]);
    });
  }

  it('--run leaves out what building and testing need', async () => {
    const run = packages((await deps('--distro', 'debian', '--run')).stdout);
    const all = packages((await deps('--distro', 'debian')).stdout);
    expect(run).toEqual(expect.arrayContaining(['pipewire', 'pipewire-bin', 'wireplumber', 'dbus']));
    expect(run).not.toContain('libpipewire-0.3-dev');
    expect(run).not.toContain('clang');
    expect(all.length).toBeGreaterThan(run.length);
  });

  it('an unknown distribution gets what to install, in words, and exit 1', async () => {
    const r = await deps('--distro', 'plan9');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('not one of Debian/Ubuntu, Fedora or Arch');
    expect(r.stderr).toContain('WirePlumber');
  });
});
