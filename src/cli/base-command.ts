// The one base command: owns parse and catch, maps every error to one line (or a JSON
// error object with --json) and an exit code. Commands return data; this prints it and
// gives the exit code a result asks for.
import { Command, Errors } from '@oclif/core';
import { reportError } from './error-output.js';

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  /** Human output; silent under --json. */
  protected say(text: string): void {
    if (!this.jsonEnabled()) this.log(text);
  }

  /** The exit code of a run that ended with data, not an error: doctor's failed check,
   * status's sound that cannot flow. */
  protected exitCodeOf(_result: unknown): number {
    return 0;
  }

  override async _run<T>(): Promise<T> {
    const result = await super._run<T>();
    const code = this.exitCodeOf(result);
    if (code !== 0) process.exitCode = code;
    return result;
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own exits (help, version) pass through untouched
    if (err instanceof Errors.ExitError) throw err;
    reportError(err, this.argv.includes('--json'), this.id);
    return undefined;
  }
}
