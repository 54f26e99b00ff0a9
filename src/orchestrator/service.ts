// `headroom service install|uninstall|status`: the systemd user unit written, enabled and
// started (or stopped, disabled and removed), through systemctl --user.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './exec.js';
import { UNIT_NAME, unitText } from './systemd-unit.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'run.js');

export function defaultUnitDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config'), 'systemd', 'user');
}

export interface ServiceState {
  unitPath: string;
  installed: boolean;
  enabled: string;
  active: string;
}

const systemctl = (args: string[], env: NodeJS.ProcessEnv) => run(['systemctl', '--user', ...args], { env, timeoutMs: 15_000 });

export async function installService(o: { unitDir: string; start: boolean; env?: NodeJS.ProcessEnv }): Promise<ServiceState> {
  const env = o.env ?? process.env;
  const unitPath = path.join(o.unitDir, UNIT_NAME);
  await mkdir(o.unitDir, { recursive: true });
  await writeFile(unitPath, unitText([process.execPath, BIN, 'start']));
  if (o.start) {
    await systemctl(['daemon-reload'], env);
    await systemctl(['enable', '--now', UNIT_NAME], env);
  }
  return serviceStatus({ unitDir: o.unitDir, env, query: o.start });
}

export async function uninstallService(o: { unitDir: string; stop: boolean; env?: NodeJS.ProcessEnv }): Promise<ServiceState> {
  const env = o.env ?? process.env;
  if (o.stop) await systemctl(['disable', '--now', UNIT_NAME], env).catch(() => ''); // not loaded: nothing to stop
  await rm(path.join(o.unitDir, UNIT_NAME), { force: true });
  if (o.stop) await systemctl(['daemon-reload'], env);
  return serviceStatus({ unitDir: o.unitDir, env, query: o.stop });
}

export async function serviceStatus(o: { unitDir: string; env?: NodeJS.ProcessEnv; query?: boolean }): Promise<ServiceState> {
  const env = o.env ?? process.env;
  const unitPath = path.join(o.unitDir, UNIT_NAME);
  const installed = await readFile(unitPath, 'utf8').then(() => true, () => false);
  // is-enabled / is-active exit non-zero for "disabled" / "inactive": their output is the answer
  const ask = async (verb: string) => (o.query === false ? 'unknown' : (await run(['systemctl', '--user', verb, UNIT_NAME], { env, timeoutMs: 5000 }).catch((e: { cause?: { stdout?: unknown } }) => String(e.cause?.stdout ?? 'unknown'))).trim() || 'unknown');
  return { unitPath, installed, enabled: await ask('is-enabled'), active: await ask('is-active') };
}
