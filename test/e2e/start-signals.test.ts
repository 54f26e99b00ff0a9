// Every way a daemon is told to end hands everything back: Ctrl-C and a closed terminal
// (SIGINT, SIGHUP: sent to the whole process group, the engine and the monitors with it),
// SIGTERM as systemd sends it (KillMode=mixed: the daemon alone), and the terminal really
// closing under it (tmux). The app plays on through the stop and ends up on the speakers;
// no journal, no socket, no bus sink is left.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/process/poll.js';
import { ROOT } from '../helpers/cli.js';
import { longestGap, onset, recordSpeakers, report, sine, writeSignal } from './audio.js';
import { playsOnlyInto, usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);
const leftovers = (env: NodeJS.ProcessEnv) => ['headroom/journal.json', 'headroom/control.sock'].filter((f) => existsSync(path.join(String(env.XDG_RUNTIME_DIR), f)));

/** `headroom start` as the leader of its own process group, as a shell runs it in a terminal. */
function startInOwnGroup(env: NodeJS.ProcessEnv) {
  const proc = execa(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'start'], { env: { ...env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' }, reject: false, detached: true, stdin: 'ignore', buffer: false });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  return { proc, log: () => log };
}

describe('headroom start, ended by a signal', () => {
  for (const [sig, to] of [['SIGINT', 'group'], ['SIGHUP', 'group'], ['SIGTERM', 'daemon']] as const) {
    it(`${sig} to the ${to === 'group' ? "daemon's process group (as a terminal sends it)" : 'daemon alone (as systemd sends it)'}: every app handed back, playing on`, async () => {
      const { pw, dir } = box;
      const watcher = await session.watch();
      const app = session.play(writeSignal(path.join(dir, `${sig}.wav`), 20, sine(-20)), { name: `${sig}-app` });
      const serial = Number((await app.node()).info?.props?.['object.serial']);
      const daemon = startInOwnGroup(pw.env);
      await poll('the app in the bus', () => daemon.log().includes('headroom running') && playsOnlyInto(watcher.model, serial, 'headroom-processed'), 10_000, 20);
      const ears = await recordSpeakers(pw, dir, `${sig}-out.wav`);
      await new Promise((r) => setTimeout(r, 1500));
      const pid = daemon.proc.pid as number;
      process.kill(to === 'group' ? -pid : pid, sig);
      const r = await daemon.proc;
      await poll('the app on the speakers', () => playsOnlyInto(watcher.model, serial, pw.speakers), 5000, 20).catch((e: Error) => {
        // a failure says where the app plays instead and what the daemon said (seen once, on Debian 13 in CI)
        const m = watcher.model, n = m.nodeBySerial(serial);
        const into = n ? m.linksFrom(n.id).map((l) => m.nodes.get(l.inputNode)?.props['node.name'] ?? l.inputNode) : 'the app has gone';
        throw new Error(`${e.message}; the app plays into ${JSON.stringify(into)}; exit ${r.exitCode}; the daemon said:\n${daemon.log()}`);
      });
      await new Promise((res) => setTimeout(res, 1000));
      const out = await ears.stop();
      const t0 = onset(out, 0, 1e-3) / 48000;
      const gap = longestGap(out, 0, t0, out.length / 2 / 48000 - 0.2);
      report(`signals: ${sig} to the ${to}: exit code, longest gap at the speakers while stopping (frames)`, [r.exitCode, gap]);
      expect(r.exitCode, daemon.log()).toBe(0);
      expect(daemon.log()).toContain(`stopping (${sig})`);
      expect(daemon.log()).toContain('stopped: 1 stream(s) handed back');
      expect(gap).toBeLessThanOrEqual(2048); // one quantum at the most: the bus plays until the app is moved
      expect(leftovers(pw.env)).toEqual([]);
      await poll('the bus sink gone', () => watcher.model.nodeByName('headroom-processed') === undefined, 5000, 20);
    }, 40_000);
  }

  it('the terminal running it closes (tmux kills its session): every app handed back, nothing left', async () => {
    const { pw, dir } = box;
    const watcher = await session.watch();
    const app = session.play(writeSignal(path.join(dir, 'tty.wav'), 20, sine(-20)), { name: 'tty-app' });
    const serial = Number((await app.node()).info?.props?.['object.serial']);
    const tmux = (args: string[]) => execa('tmux', ['-L', `headroom-sig-${process.pid}`, ...args], { reject: false });
    const tmuxName = `start-${process.pid}`;
    const envs = ['XDG_RUNTIME_DIR', 'XDG_STATE_HOME', 'XDG_CONFIG_HOME', 'DBUS_SESSION_BUS_ADDRESS'].map((k) => `${k}=${String(pw.env[k])}`);
    try {
      const cmd = `env ${envs.join(' ')} OCLIF_SKIP_NEW_VERSION_CHECK=true ${process.execPath} ${path.join(ROOT, 'bin', 'run.js')} start`;
      expect((await tmux(['new-session', '-d', '-s', tmuxName, '-x', '120', '-y', '30', cmd])).exitCode).toBe(0);
      await poll('the app in the bus', () => playsOnlyInto(watcher.model, serial, 'headroom-processed'), 15_000, 20);
      await poll('the daemon answering', () => existsSync(path.join(String(pw.env.XDG_RUNTIME_DIR), 'headroom', 'control.sock')), 5000, 20);
      await new Promise((r) => setTimeout(r, 1000));
      expect((await tmux(['kill-session', '-t', tmuxName])).exitCode).toBe(0);
      await poll('the app on the speakers', () => playsOnlyInto(watcher.model, serial, pw.speakers), 8000, 20);
      await poll('nothing left: journal, socket', () => leftovers(pw.env).length === 0, 8000, 50);
      await poll('the bus sink gone', () => watcher.model.nodeByName('headroom-processed') === undefined, 5000, 20);
    } finally {
      await tmux(['kill-server']);
      app.proc.kill('SIGTERM');
      await app.proc;
      await watcher.stop();
    }
  }, 40_000);
});
