// `headroom status [--json]` without loading oclif (it costs more than the rest of the
// command together): the same answer, the same errors and exit codes, for scripts that
// poll it. bin/run.js takes this path only for exactly these argument lists.
import { reportError } from './error-output.js';
import { queryStatus, statusExitCode } from './status-query.js';
import { statusText } from './status-text.js';

export async function fastStatus(json: boolean): Promise<void> {
  try {
    const s = await queryStatus();
    process.stdout.write(json ? `${JSON.stringify(s, null, 2)}\n` : `${statusText(s)}\n`);
    process.exitCode = statusExitCode(s);
  } catch (e) {
    reportError(e as Error, json, 'status');
  }
}
