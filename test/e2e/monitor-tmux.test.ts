// `headroom monitor` in a real terminal (tmux, 80x24, a shell in the pane) against a daemon
// on a private PipeWire: what a person sees (also with CI=true in the environment, where ink
// would draw nothing until exit), "disconnected" when the daemon goes and the live screen
// again when it comes back, q, Esc and Ctrl-C each quit and give the shell back its screen
// and terminal modes; a monitor without a daemon is one clean line.
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { headroom, ROOT } from '../helpers/cli.js';
import { sine, writeSignal } from './audio.js';
import { usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);
const tmux = (args: string[]) => execa('tmux', ['-L', 'headroom-test', ...args], { reject: false });
const LIVE = /Watched-App\s+processed\s+default\s+-1[0-9]\.\d/;

describe('headroom monitor in a terminal', () => {
  it('shows the bus, the loudness and the apps at 80x24, follows the daemon away and back, and every quit key restores the terminal', async () => {
    const { pw, dir } = box;
    const app = session.play(writeSignal(path.join(dir, 'mon.wav'), 60, sine(-12)), { name: 'Watched-App' });
    await app.node();
    let daemon = session.daemon();
    const tmuxName = `mon-${process.pid}`;
    const pane = ['-t', tmuxName];
    let last = '';
    const screen = async () => (last = (await tmux(['capture-pane', ...pane, '-p'])).stdout);
    const waitFor = (what: string, test: (s: string) => boolean, ms = 10_000) =>
      poll(what, async () => (test(await screen()) ? last : undefined), ms, 200).catch((e: Error) => {
        throw new Error(`${e.message}\nlast screen:\n${last}\ndaemon log (tail):\n${daemon.log().split('\n').slice(-30).join('\n')}`);
      });
    const type = (...keys: string[]) => tmux(['send-keys', ...pane, ...keys]);
    const monitor = `env XDG_RUNTIME_DIR=${pw.env.XDG_RUNTIME_DIR} OCLIF_SKIP_NEW_VERSION_CHECK=true NO_COLOR=1 CI=true ${process.execPath} ${path.join(ROOT, 'bin', 'run.js')} monitor; echo "monitor-exit=$?"`;
    try {
      await daemon.running();
      expect((await tmux(['new-session', '-d', '-s', tmuxName, '-x', '80', '-y', '24', 'sh'])).exitCode).toBe(0);
      await type(`stty -g > ${path.join(dir, 'modes-before')}; clear; echo ready-to-watch`, 'Enter');
      await waitFor('the shell', (s) => s.includes('ready-to-watch'));

      for (const [i, quit] of ['q', 'Escape', 'C-c'].entries()) {
        await type(monitor, 'Enter');
        const live = await waitFor('the monitor drawn with the app and meters', (s) => LIVE.test(s) && /M -\d/.test(s));
        expect(live).toContain('headroom 0.1.0 · profile default · up');
        expect(live).toMatch(/AGC .* dB → -18\.0 LUFS/);
        expect(live).toMatch(/Peak .* dBTP \(ceiling -1\.0\)/);
        expect(live).toMatch(/S 60s [▁▂▃▄▅▆▇█ ]+/);
        expect(live).toContain('? help · q quit');
        expect(live).not.toContain('ready-to-watch'); // the alternate screen
        expect(live.split('\n').every((l) => [...l].length <= 80)).toBe(true);

        if (i === 0) {
          // the daemon goes: the monitor says so and keeps waiting; it comes back: live again
          daemon.proc.kill('SIGTERM');
          await daemon.proc;
          const away = await waitFor('"disconnected"', (s) => s.includes('disconnected — waiting for the daemon to come back'));
          expect(away).toContain('M —  S —  I — LUFS');
          daemon = session.daemon();
          const back = await waitFor('the monitor live again', (s) => LIVE.test(s) && !s.includes('disconnected'), 20_000);
          expect(back).toMatch(/up \d{1,2}s/); // the new daemon's uptime
        }

        await type(quit);
        // the typed command line holds 'monitor-exit=$?' too: only the echoed line has a number
        const shell = await waitFor(`the shell back after ${quit}`, (s) => /^monitor-exit=\d+$/m.test(s));
        expect(shell).toContain('ready-to-watch'); // the screen from before the monitor
        expect(shell).toMatch(/^monitor-exit=0$/m);
        await type(`stty -g | cmp -s - ${path.join(dir, 'modes-before')}; echo "modes-${i}-cmp=$?"`, 'Enter');
        const modes = new RegExp(`^modes-${i}-cmp=(\\d+)$`, 'm');
        expect(await waitFor('the terminal modes compared', (s) => modes.test(s))).toMatch(new RegExp(`^modes-${i}-cmp=0$`, 'm'));
        await type('clear; echo ready-to-watch', 'Enter');
        await waitFor('the shell cleared', (s) => s.includes('ready-to-watch') && !/monitor-exit/.test(s));
      }
    } finally {
      await tmux(['kill-session', ...pane]);
      daemon.proc.kill('SIGTERM');
      await daemon.proc;
      app.proc.kill('SIGTERM');
      await app.proc;
    }
  }, 120_000);

  it('keys act from the monitor: b bypasses, m moves the selected app direct and back, p switches profile, ? shows the keys', async () => {
    const { pw, dir } = box;
    const app = session.play(writeSignal(path.join(dir, 'keys.wav'), 60, sine(-12)), { name: 'Watched-App' });
    await app.node();
    const daemon = session.daemon();
    await daemon.running();
    const tmuxName = `keys-${process.pid}`;
    const pane = ['-t', tmuxName];
    let last = '';
    const waitFor = (what: string, test: (s: string) => boolean, ms = 10_000) =>
      poll(what, async () => (test((last = (await tmux(['capture-pane', ...pane, '-p'])).stdout)) ? last : undefined), ms, 200).catch((e: Error) => {
        throw new Error(`${e.message}\nlast screen:\n${last}`);
      });
    const type = (...keys: string[]) => tmux(['send-keys', ...pane, ...keys]);
    const status = async () => JSON.parse((await headroom(['status', '--json'], pw.env)).stdout) as { daemon: { bypass: boolean; profile: string }; streams: { app: string; route: string }[] };
    const cmd = `env XDG_RUNTIME_DIR=${pw.env.XDG_RUNTIME_DIR} XDG_STATE_HOME=${pw.env.XDG_STATE_HOME} XDG_CONFIG_HOME=${pw.env.XDG_CONFIG_HOME} OCLIF_SKIP_NEW_VERSION_CHECK=true NO_COLOR=1 ${process.execPath} ${path.join(ROOT, 'bin', 'run.js')} monitor`;
    try {
      expect((await tmux(['new-session', '-d', '-s', tmuxName, '-x', '120', '-y', '40', cmd])).exitCode).toBe(0);
      await waitFor('the monitor with the app selected', (s) => /^› Watched-App\s+processed/m.test(s));
      await type('?');
      await waitFor('the keys', (s) => s.includes('move the selected app'));
      await type('x'); // any key closes the help
      await waitFor('the table again', (s) => /^› Watched-App/m.test(s));

      await type('b');
      await waitFor('bypass said', (s) => s.includes('bypass on: the bus plays unprocessed'));
      expect((await status()).daemon.bypass).toBe(true);
      await type('b');
      await poll('bypass off', async () => !(await status()).daemon.bypass, 5000, 100);

      await type('m');
      await waitFor('the app direct', (s) => /^› Watched-App\s+direct\s+user/m.test(s));
      expect((await status()).streams.find((x) => x.app === 'Watched-App')?.route).toBe('direct');
      await type('m');
      await waitFor('the app processed again', (s) => /^› Watched-App\s+processed\s+user/m.test(s));

      await type('p');
      await waitFor('the next profile', (s) => /profile (?!default)\w+ · up/.test(s));
      expect((await status()).daemon.profile).not.toBe('default');
      await type('q');
      await poll('the monitor gone', async () => (await tmux(['has-session', ...pane])).exitCode !== 0, 5000, 100);
    } finally {
      await tmux(['kill-session', ...pane]);
    }
  }, 60_000);

  it('without a terminal: one line pointing at --json, exit 2, no stack trace', async () => {
    const { pw } = box;
    await session.daemon().running();
    const r = await headroom(['monitor'], pw.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('headroom: the live view needs a terminal, and this is not one\n  In a pipe or a script: headroom monitor --json (the events as NDJSON)');
  });

  it('without a daemon: one line on stderr, exit 3, the terminal untouched', async () => {
    const { pw } = box;
    const r = await headroom(['monitor'], pw.env);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')[0]).toBe('headroom: the daemon is not running');
    expect(r.stdout).toBe(''); // no alternate screen, no escape codes
  });
});
