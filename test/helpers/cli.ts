// Runs the real CLI (bin/run.js over dist/) as a user would.
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function headroom(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await execa(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], {
    reject: false,
    // as a user runs it: not under vitest's NODE_ENV=test (bin/run.js makes it production)
    env: { OCLIF_SKIP_NEW_VERSION_CHECK: 'true', NODE_ENV: 'production', ...env },
    stdin: 'ignore',
  });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}
