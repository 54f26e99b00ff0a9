// `headroom service install|uninstall|status`: the systemd user unit written, enabled and
// started (or stopped, disabled and removed), through systemctl --user.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HeadroomError } from '../../errors.js';
import { run } from '../process/exec.js';
import { UNIT_NAME, unitText } from './systemd-unit.js';
import { NODE_FLAGS } from '../../node-flags.js';
import { CLI_BIN } from '../../package-paths.js';
import type { ServiceState } from '../../wire/command-outputs.js';

const BIN = CLI_BIN;

export function defaultUnitDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config'), 'systemd', 'user');
}


const systemctl = (args: string[], env: NodeJS.ProcessEnv, timeoutMs = 15_000) => run(['systemctl', '--user', ...args], { env, timeoutMs });
/** A systemctl answer that comes with a non-zero exit ("disabled", "inactive", "offline"). */
const answer = async (args: string[], env: NodeJS.ProcessEnv) =>
  (await systemctl(args, env, 5000).catch((e: { cause?: { stdout?: unknown } }) => String(e.cause?.stdout ?? ''))).trim();

async function userManager(env: NodeJS.ProcessEnv): Promise<string> {
  return (await answer(['is-system-running'], env)) || 'offline';
}

/** Nothing is changed when no user instance of systemd would take the change. */
async function requireManager(env: NodeJS.ProcessEnv, what: string, flag: string): Promise<void> {
  if ((await userManager(env)) === 'offline')
    throw new HeadroomError('command_failed', `no systemd user instance answers (systemctl --user is-system-running: offline), so headroom.service was not ${what}`, {
      exitCode: 1,
      hint: `Run it in your desktop session, or let your user manager run without one (loginctl enable-linger); ${flag}`,
    });
}

/** `headroom start`'s own flags for the unit: the profile, the output, --auto-promote. */
export interface StartFlags {
  profile?: string;
  sink?: string;
  autoPromote?: boolean;
}

export function startArgv(f: StartFlags): string[] {
  return ['start', ...(f.profile ? ['--profile', f.profile] : []), ...(f.sink ? ['--sink', f.sink] : []), ...(f.autoPromote ? ['--auto-promote'] : [])];
}

export async function installService(o: { unitDir: string; start: boolean; flags?: StartFlags; env?: NodeJS.ProcessEnv }): Promise<ServiceState> {
  const env = o.env ?? process.env;
  const unitPath = path.join(o.unitDir, UNIT_NAME);
  if (o.start) await requireManager(env, 'installed', '--no-start only writes the unit');
  await mkdir(o.unitDir, { recursive: true });
  // this node and this installation's entry point, wherever they are (a clone, npm -g, nvm)
  await writeFile(unitPath, unitText([process.execPath, ...NODE_FLAGS, BIN, ...startArgv(o.flags ?? {})]));
  if (o.start) {
    await systemctl(['daemon-reload'], env);
    await systemctl(['enable', UNIT_NAME], env);
    // started, or restarted when it ran: an update or new flags take effect now
    await systemctl(['restart', UNIT_NAME], env);
  }
  return serviceStatus({ unitDir: o.unitDir, env, query: o.start });
}

export async function uninstallService(o: { unitDir: string; stop: boolean; env?: NodeJS.ProcessEnv }): Promise<ServiceState> {
  const env = o.env ?? process.env;
  if (o.stop) {
    await requireManager(env, 'removed', '--no-stop only removes the unit');
    await systemctl(['disable', '--now', UNIT_NAME], env).catch(() => ''); // not loaded: nothing to stop
  }
  await rm(path.join(o.unitDir, UNIT_NAME), { force: true });
  if (o.stop) await systemctl(['daemon-reload'], env);
  return serviceStatus({ unitDir: o.unitDir, env, query: o.stop });
}

export async function serviceStatus(o: { unitDir: string; env?: NodeJS.ProcessEnv; query?: boolean }): Promise<ServiceState> {
  const env = o.env ?? process.env;
  const unitPath = path.join(o.unitDir, UNIT_NAME);
  const installed = await readFile(unitPath, 'utf8').then(() => true, () => false);
  if (o.query === false) return { unitPath, installed, enabled: 'unknown', active: 'unknown', manager: 'unknown' };
  const ask = async (verb: string) => (await answer([verb, UNIT_NAME], env)) || 'unknown';
  return { unitPath, installed, enabled: await ask('is-enabled'), active: await ask('is-active'), manager: await userManager(env) };
}
