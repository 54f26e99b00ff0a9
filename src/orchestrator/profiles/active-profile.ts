// The profile the daemon runs: the user's choice (`profile use`, else --profile, else
// the saved one, else "default"), or the profile bound to the current output device;
// the user's `set` overrides on top; the file hot-reloaded when it changes. A broken edit
// keeps the running profile and is reported (reload_failed); every switch or edit that
// changes a value is reported (changed) with the keys that changed.
import { watch, type FSWatcher } from 'chokidar';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { SETTINGS, type Profile, type SettingValue } from '../../profile/schema.js';
import { settingRow, settingRows, withReset, withSet } from '../../profile/user-settings.js';
import { BUILTIN_DIR, listProfiles, loadProfile, userProfileDir } from './profile-files.js';
import { loadSettings, saveSettings, type SavedSettings } from '../state/settings-file.js';
import type { SettingRow } from '../../wire/control-protocol.js';

export type ProfileEvent =
  | { kind: 'changed'; profile: string; reason: 'use' | 'reload' | 'set' | 'device'; changed: string[] }
  | { kind: 'reload_failed'; profile: string; file: string; line?: number; reason: string };


/** Changes to the file are read this long after the last write (editors write twice). */
const RELOAD_DEBOUNCE_MS = 50;

export class ActiveProfile {
  private watcher?: FSWatcher;
  private reloadTimer?: NodeJS.Timeout;
  /** the profile bound to the current output, when one is */
  private deviceBound?: string;
  private merged?: { base: Profile; own: Record<string, SettingValue> | undefined; profile: Profile };

  private constructor(
    private base: Profile,
    private userChoice: string,
    private readonly saved: SavedSettings,
    private readonly env: NodeJS.ProcessEnv,
    private readonly onEvent: (e: ProfileEvent) => void,
  ) {}

  /** Loads the starting profile: the flag, else the saved choice, else "default". */
  static async open(o: { profile?: string; env: NodeJS.ProcessEnv; onEvent: (e: ProfileEvent) => void }): Promise<ActiveProfile> {
    const saved = await loadSettings(o.env);
    const name = o.profile ?? saved.profile ?? 'default';
    return new ActiveProfile(await loadProfile(name, o.env), name, saved, o.env, o.onEvent);
  }

  get name(): string {
    return this.base.name;
  }

  /** The profile as loaded, with the user's overrides applied to its settings (read every
   * meter tick: made again only when the profile or the overrides were replaced). */
  get profile(): Profile {
    const own = this.saved.overrides[this.base.name];
    if (this.merged?.base !== this.base || this.merged.own !== own)
      this.merged = { base: this.base, own, profile: { ...this.base, settings: { ...this.base.settings, ...(own ?? {}) } } };
    return this.merged.profile;
  }

  get settings(): Record<string, SettingValue> {
    return this.profile.settings;
  }

  list(): SettingRow[] {
    return settingRows(this.base, this.saved.overrides[this.base.name]);
  }

  get(key: string): SettingRow {
    return settingRow(this.base, this.saved.overrides[this.base.name], key);
  }

  /** Sets a key for the running profile (a string is parsed: "-16" is a number), persisted. */
  async set(key: string, raw: unknown): Promise<SettingRow> {
    await this.keep(withSet(this.base, this.saved.overrides[this.base.name], key, raw));
    return this.get(key);
  }

  /** Forgets your change of one key, or of every key (none given); persisted. */
  async reset(key?: string): Promise<string[]> {
    const { next, reset } = withReset(this.saved.overrides[this.base.name], key);
    if (reset.length > 0) await this.keep(next);
    return reset;
  }

  private async keep(own: Record<string, SettingValue>): Promise<void> {
    const before = this.settings;
    if (Object.keys(own).length > 0) this.saved.overrides[this.base.name] = own;
    else delete this.saved.overrides[this.base.name];
    await saveSettings(this.saved, this.env);
    this.report('set', before, this.base.rules);
  }

  /** Switches to a profile by name and remembers it as the user's choice. */
  async use(name: string): Promise<Profile> {
    const next = await loadProfile(name, this.env);
    this.userChoice = name;
    this.deviceBound = undefined;
    this.saved.profile = name;
    await saveSettings(this.saved, this.env);
    this.swap(next, 'use');
    return this.profile;
  }

  /** Re-reads the running profile's file; a broken file keeps the running one (and throws). */
  async reload(): Promise<Profile> {
    let next: Profile;
    try {
      next = await loadProfile(this.base.name, this.env);
    } catch (e) {
      const problem = (e as { cause?: { problem?: { file: string; line?: number; reason: string } } }).cause?.problem;
      this.onEvent({ kind: 'reload_failed', profile: this.base.name, file: problem?.file ?? this.base.source, line: problem?.line, reason: problem?.reason ?? (e as Error).message });
      throw e;
    }
    this.swap(next, 'reload');
    return this.profile;
  }

  /** The output changed: switch to the profile bound to it, or back to the user's choice. */
  async followDevice(sink: string | undefined): Promise<void> {
    let bound: Profile | undefined;
    if (sink)
      for (const p of await listProfiles(this.env)) {
        const loaded = await loadProfile(p.name, this.env).catch(() => undefined);
        if (loaded?.devices.includes(sink)) {
          bound = loaded;
          break;
        }
      }
    if (bound) {
      this.deviceBound = bound.name;
      if (bound.name !== this.base.name) this.swap(bound, 'device');
    } else if (this.deviceBound !== undefined) {
      this.deviceBound = undefined;
      const back = await loadProfile(this.userChoice, this.env).catch(() => undefined);
      if (back) this.swap(back, 'device');
    }
  }

  /** Watches the profile folders; an edit of the running profile's file reloads it. */
  async watch(): Promise<void> {
    await mkdir(userProfileDir(this.env), { recursive: true });
    this.watcher = watch([userProfileDir(this.env), BUILTIN_DIR], { ignoreInitial: true, depth: 0 });
    this.watcher.on('all', (_event, file) => {
      if (path.basename(file) !== `${this.base.name}.toml`) return;
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.reload().catch(() => undefined), RELOAD_DEBOUNCE_MS);
    });
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    clearTimeout(this.reloadTimer);
    await this.watcher?.close();
  }

  private swap(next: Profile, reason: 'use' | 'reload' | 'device'): void {
    const before = this.settings;
    const rulesBefore = this.base.rules;
    this.base = next;
    this.report(reason, before, rulesBefore);
  }

  private report(reason: 'use' | 'reload' | 'set' | 'device', before: Record<string, SettingValue>, rulesBefore: Profile['rules']): void {
    const now = this.settings;
    const changed = SETTINGS.map((s) => s.key).filter((k) => before[k] !== now[k]);
    if (JSON.stringify(rulesBefore) !== JSON.stringify(this.base.rules)) changed.push('routing.rules');
    this.onEvent({ kind: 'changed', profile: this.base.name, reason, changed });
  }
}
