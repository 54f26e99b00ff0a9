// The published JSON Schema says what the messages are: every op and topic has one, and
// values the daemon builds fit it while wrong ones do not.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../src/orchestrator/daemon/daemon-status.js';
import { HEALTHY } from '../../src/policy/health.js';
import { OPS, TOPICS } from '../../src/wire/control-protocol.js';
import { schemaErrors } from '../helpers/json-schema.js';

describe('docs/schema/control.json', () => {
  it('has every op and topic', () => {
    for (const op of OPS) for (const part of ['params', 'result']) expect(schemaErrors(`${op}.${part}`, undefined)).not.toContain(`no schema named ${op}.${part}`);
    for (const t of TOPICS) expect(schemaErrors(`event.${t.replace('/', '.')}`, undefined)).not.toContain(`no schema named event.${t.replace('/', '.')}`);
  });

  it('fits what the daemon answers, and catches what it never would', () => {
    const status = buildStatus({
      pid: 1, version: '0.1.0', startedAt: 0, now: 5000, profile: 'default', bypass: false, processedSink: 'headroom-processed', preferredSink: 'speakers',
      filterHost: { state: 'running', restarts: 0 }, routed: [], gainOf: () => undefined, loudness: new Map(), health: HEALTHY,
    });
    expect(schemaErrors('status.result', status)).toEqual([]);
    expect(schemaErrors('status.result', { ...status, filterHost: { state: 'sleeping', restarts: 0 } })).toEqual(['/filterHost/state must be equal to one of the allowed values']);
    expect(schemaErrors('event.routing.rule_changed', { app: 'mpv', route: null })).toEqual([]);
    expect(schemaErrors('route.set.params', { app: '', route: 'direct' })).toEqual(['/app must NOT have fewer than 1 characters']);
  });
});
