// Daemon logging to stderr with journald priority prefixes (sd-daemon(3)): systemd turns
// "<4>text" into a warning-level journal entry. One line per message, newlines escaped,
// so an app name can never forge a log line.
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

export function createLogger(threshold: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const max = PRIORITY[threshold];
  const log = (level: LogLevel, message: string) => {
    if (PRIORITY[level] > max) return;
    write(`<${PRIORITY[level]}>${message.replace(/[\r\n]/g, (c) => (c === '\n' ? '\\n' : '\\r'))}\n`);
  };
  return {
    log,
    error: (m) => log('error', m),
    warn: (m) => log('warn', m),
    info: (m) => log('info', m),
    debug: (m) => log('debug', m),
  };
}
