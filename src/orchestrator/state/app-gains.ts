// Layer A's memory: the gain it last settled on for each app, by the identity routing
// matches on (application.name and process binary, case-insensitive), kept in headroom's own
// state ($XDG_STATE_HOME/headroom/app-gains.json, never WirePlumber's) so that the app's next
// stream starts at it. At most MAX_APPS apps, the least recently settled dropped first.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppStream } from '../../graph/streams.js';
import { MAX_APP_LENGTH } from '../../wire/control-protocol.js';
import { writeFileAtomic } from './atomic-file.js';
import { stateDir } from './state-paths.js';

export const MAX_APPS = 256;
/** A remembered gain is kept within this range, whatever the file says. */
const MAX_ABS_DB = 60;
/** Writes are gathered: one a few seconds after a change, however many changed. */
const WRITE_AFTER_MS = 2000;

interface Entry {
  app: string;
  binary?: string;
  gainDb: number;
  /** when it was last settled (ms since the epoch): the oldest goes first */
  at: number;
}

export function appGainsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'app-gains.json');
}

/** What identifies an app across its streams. */
export function appKey(s: { app: string; binary?: string }): string {
  return `${s.app.toLowerCase()}\n${(s.binary ?? '').toLowerCase()}`;
}

const valid = (e: unknown): e is Entry => {
  const r = e as Partial<Entry> | null;
  return typeof r?.app === 'string' && r.app.length <= MAX_APP_LENGTH && (r.binary === undefined || (typeof r.binary === 'string' && r.binary.length <= MAX_APP_LENGTH)) &&
    typeof r.gainDb === 'number' && Math.abs(r.gainDb) <= MAX_ABS_DB && typeof r.at === 'number' && Number.isFinite(r.at);
};

export class AppGains {
  private readonly entries = new Map<string, Entry>();
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly env: NodeJS.ProcessEnv, private readonly onError: (e: Error) => void) {}

  /** The saved gains; a missing or broken file is no memory (entries that are not valid are dropped). */
  static async load(env: NodeJS.ProcessEnv, onError: (e: Error) => void): Promise<AppGains> {
    const g = new AppGains(env, onError);
    try {
      const raw = JSON.parse(await readFile(appGainsPath(env), 'utf8')) as unknown;
      if (Array.isArray(raw)) for (const e of raw.filter(valid).sort((a, b) => a.at - b.at)) g.put({ app: e.app, binary: e.binary, gainDb: e.gainDb, at: e.at });
    } catch {
      // nothing remembered yet
    }
    return g;
  }

  get(s: AppStream): number | undefined {
    return this.entries.get(appKey(s))?.gainDb;
  }

  /** Remembers the app's settled gain; written to disk shortly after. */
  set(s: AppStream, gainDb: number, now = Date.now()): void {
    if (!Number.isFinite(gainDb) || s.app.length > MAX_APP_LENGTH || (s.binary?.length ?? 0) > MAX_APP_LENGTH) return;
    this.put({ app: s.app, binary: s.binary, gainDb: Math.round(Math.max(-MAX_ABS_DB, Math.min(MAX_ABS_DB, gainDb)) * 100) / 100, at: now });
    this.timer ??= setTimeout(() => void this.flush(), WRITE_AFTER_MS);
  }

  /** Writes what changed now (headroom stops). */
  async flush(): Promise<void> {
    if (!this.timer) return this.writing;
    clearTimeout(this.timer);
    this.timer = undefined;
    const text = JSON.stringify([...this.entries.values()], null, 1);
    this.writing = this.writing.then(() => writeFileAtomic(appGainsPath(this.env), text)).catch((e: Error) => this.onError(e));
    return this.writing;
  }

  private put(e: Entry): void {
    const key = appKey(e);
    this.entries.delete(key); // re-inserted last: the map's order is the order of use
    this.entries.set(key, e);
    while (this.entries.size > MAX_APPS) this.entries.delete(this.entries.keys().next().value as string);
  }
}
