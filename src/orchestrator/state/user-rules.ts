// The user's own routes (`headroom route set <app> processed|direct`): one rule per app,
// replaced on set, persisted atomically in $XDG_STATE_HOME/headroom/routes.json.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isRoute, type Route } from '../../profile/schema.js';
import { writeFileAtomic } from './atomic-file.js';
import { stateDir } from './state-paths.js';
import { MAX_APP_LENGTH } from '../../wire/control-protocol.js';

export function rulesPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'routes.json');
}

/** The saved rules; a missing or unreadable file is no rules (and is not overwritten until a set). */
export async function loadUserRules(env: NodeJS.ProcessEnv = process.env): Promise<Map<string, Route>> {
  const rules = new Map<string, Route>();
  try {
    const raw = JSON.parse(await readFile(rulesPath(env), 'utf8')) as unknown;
    if (Array.isArray(raw))
      for (const r of raw)
        if (typeof r?.app === 'string' && r.app.length <= MAX_APP_LENGTH && isRoute(r.route)) rules.set(r.app, r.route);
  } catch {
    // no rules yet
  }
  return rules;
}

export async function saveUserRules(rules: ReadonlyMap<string, Route>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await writeFileAtomic(rulesPath(env), JSON.stringify([...rules].map(([app, route]) => ({ app, route })), null, 2));
}

/** The key a new rule replaces: an existing rule for the same app, whatever its case. */
export function ruleKey(rules: ReadonlyMap<string, Route>, app: string): string {
  for (const k of rules.keys()) if (k.toLowerCase() === app.toLowerCase()) return k;
  return app;
}
