// The one base command: owns parse and catch, maps every error to one line (or a JSON
// error object with --json) and an exit code. Commands return data; this prints it.
import { Command, Errors } from '@oclif/core';
import { reportError } from './error-output.js';

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  /** Human output; silent under --json. */
  protected say(text: string): void {
    if (!this.jsonEnabled()) this.log(text);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own exits (help, version) pass through untouched
    if (err instanceof Errors.ExitError) throw err;
    reportError(err, this.argv.includes('--json'), this.id);
    return undefined;
  }
}
