// `headroom start`'s flags, declared once: the oclif command builds its flags from these,
// and bin/run.js parses them itself (node's util.parseArgs) to start the daemon without
// loading oclif — a daemon that runs for days pays for every module it loads, in memory, for
// as long as it runs. Anything it does not fully understand (help, --json, a typo, a bad
// value) goes to oclif, which gives the usual help and errors.
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '../orchestrator/process/log.js';

export const START_FLAGS = {
  profile: { type: 'string', short: 'p', description: 'profile to run (default: the one you chose last with `profile use`, else "default")' },
  sink: { type: 'string', description: 'output device (node.name) to play to; default: your default output' },
  'auto-promote': { type: 'boolean', description: 'make headroom-processed the default sink while running (new apps start in the bus, no blip); your choice comes back on stop' },
  'log-level': { type: 'string', description: 'least important log lines to print' },
} as const;

export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

export interface StartOptions {
  profile?: string;
  sink?: string;
  autoPromote: boolean;
  logLevel: LogLevel;
}

/** `start`'s arguments (after the command's name) as the daemon's options, or undefined
 * when oclif should have them. */
export function parseStartArgv(argv: readonly string[]): StartOptions | undefined {
  let values: { profile?: string; sink?: string; 'auto-promote'?: boolean; 'log-level'?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: START_FLAGS, strict: true, allowPositionals: false }));
  } catch {
    return undefined;
  }
  const logLevel = values['log-level'] ?? DEFAULT_LOG_LEVEL;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) return undefined;
  // an empty value (`--profile=`) is oclif's to refuse
  if (values.profile === '' || values.sink === '') return undefined;
  return { profile: values.profile, sink: values.sink, autoPromote: values['auto-promote'] ?? false, logLevel: logLevel as LogLevel };
}
