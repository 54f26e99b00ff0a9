// How an error reaches the user: one line (and a hint) on stderr, or with --json a compact
// {"error":{code,message,hint}} on stdout; and the exit code. Shared by the base command and
// the fast paths of `status`, `monitor` and `start` (reportError).
import { EXIT_USAGE, HeadroomError } from '../errors.js';

function errorOutput(err: Error & { oclif?: { exit?: number } }, json: boolean, commandId?: string): { stdout?: string; stderr?: string; exitCode: number } {
  let code = 'internal';
  let message = err.message;
  let hint: string | undefined;
  let exitCode = 1;
  if (err instanceof HeadroomError) {
    code = err.code;
    hint = err.hint;
    exitCode = err.exitCode;
  } else if (err.oclif?.exit === 2 || /Unexpected argument|Missing required|Nonexistent flag|Expected .* to be one of|Parsing/i.test(err.message)) {
    code = 'usage';
    message = usageMessage(err.message);
    hint = `See: headroom ${commandId?.replaceAll(':', ' ') ?? ''} --help`;
    exitCode = EXIT_USAGE;
  }
  return json
    ? { stdout: `${JSON.stringify({ error: { code, message, ...(hint ? { hint } : {}) } })}\n`, exitCode }
    : { stderr: `headroom: ${message}\n${hint ? `  ${hint}\n` : ''}`, exitCode };
}

/** oclif's parse error in one line: "Missing 2 required args: app, route" (the names, not
 * the help text after them). */
function usageMessage(text: string): string {
  const [first = text, ...rest] = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('See more help'));
  if (!/^Missing \d+ required args?:$/.test(first)) return first;
  return `${first} ${rest.map((l) => l.trim().split(/\s+/)[0]).join(', ')}`;
}

/** Writes the error where it goes and sets the process's exit code. */
export function reportError(err: Error & { oclif?: { exit?: number } }, json: boolean, commandId?: string): void {
  const out = errorOutput(err, json, commandId);
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.exitCode;
}
