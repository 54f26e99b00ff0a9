import { describe, expect, it } from 'vitest';
import { createLogger, logStyle } from '../../../src/orchestrator/process/log.js';

describe('createLogger', () => {
  it('prefixes journald priorities and drops what is under the threshold', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l), 'journal');
    log.error('e');
    log.warn('w');
    log.info('i');
    log.debug('d');
    expect(lines).toEqual(['<3>e\n', '<4>w\n', '<6>i\n']);
  });

  it('keeps one message on one line, whatever it contains', () => {
    const lines: string[] = [];
    createLogger('debug', (l) => lines.push(l), 'journal').info('app "x\n<3>forged" routed\r');
    expect(lines).toEqual(['<6>app "x\\n<3>forged" routed\\r\n']);
  });

  it('on a terminal: the time and the level in words, no prefix', () => {
    const lines: string[] = [];
    const at = new Date(2026, 11, 3, 9, 5, 7, 42);
    const log = createLogger('info', (l) => lines.push(l), 'terminal', () => at);
    log.warn('the output is gone');
    log.info('headroom running');
    expect(lines).toEqual(['09:05:07.042 warn   the output is gone\n', '09:05:07.042 info   headroom running\n']);
  });

  it('prefixes for the journal and pipes, times for a person at a terminal', () => {
    expect(logStyle({}, true)).toBe('terminal');
    expect(logStyle({ JOURNAL_STREAM: '8:12345' }, true)).toBe('journal'); // systemd gave us the journal
    expect(logStyle({}, false)).toBe('journal');
  });
});
