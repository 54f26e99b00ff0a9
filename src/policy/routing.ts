// Which route a stream takes and why: a user rule (`headroom route set`) beats a profile
// rule, which beats the profile's default. Matching is case-insensitive on the app's name,
// process binary or id. Pure.
import type { AppStream } from '../graph/streams.js';
import type { Route, RoutingRule, RuleField } from '../profile/schema.js';

export type RuleSource = 'user' | 'profile' | 'default' | 'excluded';

export interface RouteDecision {
  route: Route;
  rule: RuleSource;
  /** for excluded streams: why */
  reason?: string;
  /** false when a profile rule keeps Layer A off the app */
  layerA?: false;
}

/** User rules: one per app, keyed by what the user typed (matched case-insensitively). */
export type UserRules = ReadonlyMap<string, Route>;

function fieldValue(stream: AppStream, field: RuleField): string | undefined {
  switch (field) {
    case 'application.name': return stream.app;
    case 'application.process.binary': return stream.binary;
    case 'application.id': return stream.appId;
  }
}

const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export function decideRoute(stream: AppStream, user: UserRules, rules: readonly RoutingRule[], fallback: Route): RouteDecision {
  if (stream.excluded) return { route: 'direct', rule: 'excluded', reason: stream.excluded };
  for (const [match, route] of user)
    if (same(stream.app, match) || same(stream.binary, match) || same(stream.appId, match)) return { route, rule: 'user' };
  for (const r of rules)
    if (same(fieldValue(stream, r.field ?? 'application.name'), r.match)) return { route: r.route ?? fallback, rule: 'profile', ...(r.layerA === false ? { layerA: false } : {}) };
  return { route: fallback, rule: 'default' };
}
