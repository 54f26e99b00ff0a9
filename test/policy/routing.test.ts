import { describe, expect, it } from 'vitest';
import type { AppStream } from '../../src/graph/streams.js';
import { decideRoute } from '../../src/policy/routing.js';

const stream = (over: Partial<AppStream> = {}): AppStream => ({ nodeId: 1, serial: 10, nodeName: 'n', app: 'Firefox', binary: 'firefox-esr', appId: 'org.mozilla.firefox', dontReconnect: false, ...over });

describe('decideRoute', () => {
  it('falls back to the profile default', () => {
    expect(decideRoute(stream(), new Map(), [], 'processed')).toEqual({ route: 'processed', rule: 'default' });
  });

  it('applies a profile rule on its field, case-insensitively', () => {
    expect(decideRoute(stream(), new Map(), [{ match: 'FIREFOX', route: 'direct' }], 'processed')).toEqual({ route: 'direct', rule: 'profile' });
    expect(decideRoute(stream(), new Map(), [{ match: 'firefox-esr', route: 'direct', field: 'application.process.binary' }], 'processed').rule).toBe('profile');
    expect(decideRoute(stream(), new Map(), [{ match: 'firefox-esr', route: 'direct' }], 'processed').rule).toBe('default');
  });

  it('keeps Layer A off an app whose profile rule says layer_a = false; a rule without a route takes the default', () => {
    expect(decideRoute(stream(), new Map(), [{ match: 'firefox', layerA: false }], 'processed')).toEqual({ route: 'processed', rule: 'profile', layerA: false });
    expect(decideRoute(stream(), new Map(), [{ match: 'firefox', route: 'processed', layerA: true }], 'direct')).toEqual({ route: 'processed', rule: 'profile' });
  });

  it('lets a user rule beat a profile rule, matching name, binary or id', () => {
    const profile = [{ match: 'firefox', route: 'direct' as const }];
    for (const key of ['firefox', 'FIREFOX-ESR', 'org.mozilla.firefox'])
      expect(decideRoute(stream(), new Map([[key, 'processed']]), profile, 'direct')).toEqual({ route: 'processed', rule: 'user' });
  });

  it('never routes excluded streams, whatever the rules say', () => {
    expect(decideRoute(stream({ excluded: 'a monitor stream' }), new Map([['firefox', 'processed']]), [], 'processed')).toEqual({ route: 'direct', rule: 'excluded', reason: 'a monitor stream' });
  });

  it('treats hostile app names as plain data', () => {
    const evil = '$(rm -rf ~)\n../../etc/passwd __proto__';
    expect(decideRoute(stream({ app: evil }), new Map([[evil.toUpperCase(), 'direct']]), [], 'processed')).toEqual({ route: 'direct', rule: 'user' });
    expect(decideRoute(stream({ app: '__proto__' }), new Map(), [{ match: 'constructor', route: 'direct' }], 'processed').rule).toBe('default');
  });
});
