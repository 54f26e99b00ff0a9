import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/orchestrator/process/log.js';

describe('createLogger', () => {
  it('prefixes journald priorities and drops what is under the threshold', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.error('e');
    log.warn('w');
    log.info('i');
    log.debug('d');
    expect(lines).toEqual(['<3>e\n', '<4>w\n', '<6>i\n']);
  });

  it('keeps one message on one line, whatever it contains', () => {
    const lines: string[] = [];
    createLogger('debug', (l) => lines.push(l)).info('app "x\n<3>forged" routed\r');
    expect(lines).toEqual(['<6>app "x\\n<3>forged" routed\\r\n']);
  });
});
