// Daemon logging to stderr. Off a terminal (systemd's journal, a pipe) with priority
// prefixes (sd-daemon(3)): systemd turns "<4>text" into a warning-level journal entry, which
// has its own times. On a terminal, a person reads it: the time and the level in words. One
// line per message, newlines escaped, so an app name can never forge a log line.
export const LOG_LEVELS = ['error', 'warn', 'notice', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PRIORITY: Record<LogLevel, number> = { error: 3, warn: 4, notice: 5, info: 6, debug: 7 };

export interface Logger {
  log(level: LogLevel, message: string): void;
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export type LogStyle = 'journal' | 'terminal';

/** journald's prefixes unless stderr is a terminal that systemd did not hand us (it sets
 * JOURNAL_STREAM when stderr is the journal). */
export function logStyle(env: NodeJS.ProcessEnv = process.env, tty = Boolean(process.stderr.isTTY)): LogStyle {
  return tty && !env.JOURNAL_STREAM ? 'terminal' : 'journal';
}

const clock = (d: Date) => d.toTimeString().slice(0, 8) + `.${String(d.getMilliseconds()).padStart(3, '0')}`;

export function createLogger(
  threshold: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l),
  style: LogStyle = logStyle(),
  now: () => Date = () => new Date(),
): Logger {
  const max = PRIORITY[threshold];
  const log = (level: LogLevel, message: string) => {
    if (PRIORITY[level] > max) return;
    const text = message.replace(/[\r\n]/g, (c) => (c === '\n' ? '\\n' : '\\r'));
    write(style === 'journal' ? `<${PRIORITY[level]}>${text}\n` : `${clock(now())} ${level.padEnd(6)} ${text}\n`);
  };
  return {
    log,
    error: (m) => log('error', m),
    warn: (m) => log('warn', m),
    info: (m) => log('info', m),
    debug: (m) => log('debug', m),
  };
}
