// `headroom monitor` in a real terminal (tmux, 80x24) against a daemon on a private
// PipeWire: what a person sees (also with CI=true in the environment, where ink would draw
// nothing until exit), q quits, and a monitor without a daemon is one clean line.
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/poll.js';
import { headroom, ROOT } from '../helpers/cli.js';
import { play, sine, writeSignal } from './audio.js';
import { startDaemon, usePrivatePipewire } from './sandbox.js';

const box = usePrivatePipewire();
const tmux = (args: string[]) => execa('tmux', ['-L', 'headroom-test', ...args], { reject: false });

describe('headroom monitor in a terminal', () => {
  it('shows the bus, the loudness and the apps at 80x24, and q quits', async () => {
    const { pw, dir } = box;
    const app = play(pw, writeSignal(path.join(dir, 'mon.wav'), 20, sine(-12)), { name: 'Watched-App' });
    await app.node();
    const daemon = startDaemon(pw);
    const session = `mon-${process.pid}`;
    try {
      await poll('headroom running', () => daemon.log().includes('headroom running'), 10_000);
      const cmd = ['env', `XDG_RUNTIME_DIR=${pw.env.XDG_RUNTIME_DIR}`, 'OCLIF_SKIP_NEW_VERSION_CHECK=true', 'NO_COLOR=1', 'CI=true', process.execPath, path.join(ROOT, 'bin', 'run.js'), 'monitor'];
      expect((await tmux(['new-session', '-d', '-s', session, '-x', '80', '-y', '24', ...cmd])).exitCode).toBe(0);
      let last = '';
      const screen = await poll('the monitor drawn with the app and meters', async () => {
        last = (await tmux(['capture-pane', '-t', session, '-p'])).stdout;
        return /Watched-App\s+processed\s+default\s+-1[0-9]\.\d/.test(last) && /M -\d/.test(last) ? last : undefined;
      }, 10_000, 200).catch((e: Error) => {
        throw new Error(`${e.message}\nlast screen:\n${last}\ndaemon log (tail):\n${daemon.log().split('\n').slice(-30).join('\n')}`);
      });
      expect(screen).toContain('headroom 0.1.0 · profile default · up');
      expect(screen).toMatch(/AGC .* dB → -18\.0 LUFS/);
      expect(screen).toMatch(/Peak .* dBTP \(ceiling -1\.0\)/);
      expect(screen).toMatch(/S 60s [▁▂▃▄▅▆▇█ ]+/);
      expect(screen).toContain('topics: * · q quits');
      expect(screen.split('\n').every((l) => [...l].length <= 80)).toBe(true);
      await tmux(['send-keys', '-t', session, 'q']);
      await poll('the monitor gone', async () => (await tmux(['has-session', '-t', session])).exitCode !== 0, 5000, 100);
    } finally {
      await tmux(['kill-session', '-t', session]);
      daemon.proc.kill('SIGTERM');
      await daemon.proc;
      app.proc.kill('SIGTERM');
      await app.proc;
    }
  });

  it('without a daemon: one line on stderr, exit 3, the terminal untouched', async () => {
    const { pw } = box;
    const r = await headroom(['monitor'], pw.env);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')[0]).toBe('headroom: headroom is not running');
    expect(r.stdout).toBe(''); // no alternate screen, no escape codes
  });
});
