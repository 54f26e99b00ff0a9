// Typed errors: what went wrong, what to do about it, and the exit code it maps to.

export type ErrorCode =
  | 'file_not_found'
  | 'file_unreadable'
  | 'bad_audio'
  | 'unsupported_format'
  | 'ffmpeg_missing'
  | 'tool_missing'
  | 'ffmpeg_failed'
  | 'unknown_profile'
  | 'bad_profile'
  | 'bad_setting'
  | 'output_failed'
  | 'command_failed'
  | 'native_missing'
  | 'filter_host_failed'
  | 'filter_host_rejected'
  | 'not_running'
  | 'already_running'
  | 'daemon_error'
  | 'usage'
  | 'unknown_command'
  | 'bad_params'
  | 'not_found'
  | 'bad_topic';

/** Exit code for errors the user can fix (bad input, missing file or tool). */
export const EXIT_USAGE = 2;
/** Exit code of client commands when no headroom daemon is running. */
export const EXIT_NOT_RUNNING = 3;
/** Exit code of `status` while the daemon runs but sound cannot flow (its health says why). */
export const EXIT_UNHEALTHY = 4;

export class HeadroomError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'HeadroomError';
    this.code = code;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? EXIT_USAGE;
  }
}
