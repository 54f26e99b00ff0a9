// The one base command: owns parse and catch, maps every error to one line (or a JSON
// error object with --json) and an exit code. Commands return data; this prints it.
import { Command, Errors } from '@oclif/core';
import { EXIT_USAGE, HeadroomError } from '../errors.js';

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  /** Human output; silent under --json. */
  protected say(text: string): void {
    if (!this.jsonEnabled()) this.log(text);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own exits (help, version) pass through untouched
    if (err instanceof Errors.ExitError) throw err;
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
      message = err.message.split('\n')[0] ?? err.message;
      hint = `See: headroom ${this.id?.replaceAll(':', ' ') ?? ''} --help`;
      exitCode = EXIT_USAGE;
    }
    if (this.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ error: { code, message, ...(hint ? { hint } : {}) } })}\n`);
    } else {
      process.stderr.write(`headroom: ${message}\n${hint ? `  ${hint}\n` : ''}`);
    }
    process.exitCode = exitCode;
    return undefined;
  }
}
