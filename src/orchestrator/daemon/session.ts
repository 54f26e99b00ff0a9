// Everything headroom holds on one PipeWire connection: the graph watcher, the
// filter-host supervisor, the router, Layer A and the output follower. A session ends
// when PipeWire goes away (`lost` resolves) or when the daemon stops (`close`); after a
// PipeWire restart the daemon simply opens a new one, which recreates the sink, the
// engine and every route. A WirePlumber restart keeps the session: the default metadata
// comes back empty, so every route is written again and the links repaired.
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadroomError } from '../../errors.js';
import type { GraphModel } from '../../graph/model.js';
import { failSafeGainDb, failSafeVolume, FAIL_SAFE_MARGIN_DB } from '../../policy/fail-safe.js';
import { HealthWatch, healthProblems } from '../../policy/health.js';
import type { Health } from '../../wire/control-protocol.js';
import type { LayerAParams } from '../../policy/layer-a.js';
import { decideRoute, type UserRules } from '../../policy/routing.js';
import type { Route } from '../../profile/schema.js';
import { SETTINGS_BY_KEY, type Profile } from '../../profile/schema.js';
import type { Command } from '../../wire/filter-host-protocol.js';
import { defaultNodeName } from '../../wire/pw-metadata-lines.js';
import type { Topic } from '../../wire/control-protocol.js';
import { demote, promote, readConfiguredDefault } from '../pipewire/auto-promote.js';
import { MeterTicks } from './meter-ticks.js';
import { DefaultSinkWatcher } from '../pipewire/default-sink-watcher.js';
import { FilterHostSupervisor } from '../engine/filter-host-supervisor.js';
import { GraphWatcher } from '../pipewire/graph-watcher.js';
import { AgcHandover } from './agc-handover.js';
import { currentVolume, LayerA, setChannelVolumesArgv, setVolumeArgv, softGainLeft, type GainMemory } from './layer-a.js';
import type { Logger } from '../process/log.js';
import { removeJournal, writeJournal, type JournalEntry, type PreviousDefault, type FailSafeVolume, type SavedVolume } from '../state/route-journal.js';
import { BUS_SINK } from '../../wire/node-names.js';
import { Router } from '../pipewire/router.js';
import { restoreSession } from './session-restore.js';
import type { Publish } from '../../wire/control-protocol.js';

/** A monitor ended by the terminal's signal is not a lost PipeWire for this long: the
 * daemon got the same signal and is about to stop (and give everything back). */
const TERMINAL_SIGNAL_GRACE_MS = 1000;
/** How often the session asks itself whether sound can flow. */
const HEALTH_EVERY_MS = 1000;

export interface SessionOptions {
  env: NodeJS.ProcessEnv;
  log: Logger;
  tool: (argv: readonly string[]) => Promise<string>;
  /** --sink: the output is pinned and not followed */
  sink?: string;
  autoPromote: boolean;
  profile: () => Profile;
  userRules: UserRules;
  bypass: () => boolean;
  startedAt: number;
  publish: Publish;
  /** whether anyone is subscribed to the topic */
  listens: (topic: Topic) => boolean;
  /** the user's preferred output changed (device-bound profiles) */
  onOutputChanged: (sink: string) => void;
  /** Layer A's memory of each app's settled gain */
  memory?: GainMemory;
}

/** The user's output: default.configured.audio.sink, else default.audio.sink; never the bus. */
export function preferredSink(model: GraphModel): string | undefined {
  const entries = model.metadataNamed('default')?.entries ?? [];
  for (const key of ['default.configured.audio.sink', 'default.audio.sink']) {
    const e = entries.find((x) => x.subject === 0 && x.key === key);
    const name = sinkName(e?.value);
    if (name && name !== BUS_SINK && model.nodeByName(name)) return name;
  }
  for (const n of model.nodes.values()) if (n.props['media.class'] === 'Audio/Sink' && n.props['node.name'] !== BUS_SINK) return String(n.props['node.name']);
  return undefined;
}

/** The node name in a default-sink metadata value: JSON text, or already parsed by pw-dump. */
function sinkName(value: unknown): string | undefined {
  if (typeof value === 'string') return defaultNodeName(value);
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string' ? (value as { name: string }).name : undefined;
}

/** Layer A's parameters in a profile. */
export function layerAParams(p: Profile): LayerAParams {
  const s = p.settings;
  return {
    targetLufs: s['agc.target_lufs'] as number, maxBoostDb: s['layer_a.max_boost_db'] as number, maxCutDb: s['layer_a.max_reduction_db'] as number,
    gateLufs: s['layer_a.gate_lufs'] as number, thresholdLu: s['layer_a.threshold_lu'] as number,
  };
}

/** The DSP parameters of a profile as filter-host commands. */
export function dspCommands(p: Profile, keys: readonly string[] = Object.keys(p.settings)): Command[] {
  return keys
    .filter((k) => { const s = SETTINGS_BY_KEY.get(k); return s?.type === 'number' && s.dsp && typeof p.settings[k] === 'number'; })
    .map((key) => ({ kind: 'setParam', key, value: p.settings[key] as number }));
}

export class Session {
  /** resolves with the reason when the PipeWire connection is gone */
  readonly lost: Promise<string>;
  private markLost: (why: string) => void = () => undefined;
  private isLost = false;
  private failSafe = false;
  private promotedFrom: PreviousDefault | undefined;
  private targets: JournalEntry[] = [];
  private volumes: SavedVolume[] = [];
  private defaults?: DefaultSinkWatcher;
  private chosenOutput?: string;
  private syncTimer?: NodeJS.Timeout;
  private healthTimer?: NodeJS.Timeout;
  private readonly healthWatch = new HealthWatch();
  private readonly meterTicks: MeterTicks;
  readonly agc: AgcHandover;
  /** streams turned to a matched volume while failed safe: serial -> volume to give back */
  private readonly failSafeVolumes = new Map<number, FailSafeVolume>();

  private constructor(
    private readonly o: SessionOptions,
    readonly watcher: GraphWatcher,
    readonly supervisor: FilterHostSupervisor,
    readonly router: Router,
    readonly layerA: LayerA,
  ) {
    this.lost = new Promise((resolve) => (this.markLost = resolve));
    this.meterTicks = new MeterTicks(o.publish, o.listens, () => o.profile().settings);
    this.agc = new AgcHandover(o.profile, (c) => supervisor.send(c));
  }

  static async open(o: SessionOptions): Promise<Session> {
    const watcher = new GraphWatcher(o.env);
    try {
      await watcher.ready;
    } catch (e) {
      throw new HeadroomError('command_failed', `cannot read the PipeWire graph: ${(e as Error).message}`, { hint: 'Is PipeWire running? Try: systemctl --user start pipewire wireplumber', exitCode: 1 });
    }
    // a daemon killed earlier may have left targets and volumes behind: undo them before routing anew
    const leftover = await restoreSession({ model: watcher.model, tool: o.tool, env: o.env, log: o.log, removeSink: false });
    // (after a PipeWire restart the journal is this daemon's own, and its streams are gone)
    if (leftover.journalFound && leftover.journalPid !== process.pid) o.log.warn(`a previous headroom was killed: cleared ${leftover.targetsCleared} stream target(s) and ${leftover.volumesRestored} volume(s) it left`);
    if (leftover.rememberedTargets.length > 0) o.log.info(`WirePlumber remembers ${BUS_SINK} as the output of ${leftover.rememberedTargets.length} app(s) not playing now: ${leftover.rememberedTargets.join(', ')}`);
    const target = o.sink ?? preferredSink(watcher.model);
    if (!target) {
      await watcher.stop();
      throw new HeadroomError('command_failed', 'no output device to play to', { hint: 'Connect an audio output, or name one with --sink', exitCode: 1 });
    }
    const supervisor = new FilterHostSupervisor({
      target, env: o.env, log: o.log,
      setup: () => [...dspCommands(o.profile()), { kind: 'bypass', on: o.bypass() }],
    });
    // eslint-disable-next-line prefer-const
    let session: Session;
    const router = new Router({
      model: watcher.model,
      tool: o.tool,
      decide: (st) => {
        const p = o.profile();
        const d = decideRoute(st, o.userRules, p.rules, (p.settings['routing.default'] ?? 'processed') as Route);
        return session?.failSafe && d.route === 'processed' ? { ...d, route: 'direct', reason: 'failed safe: the filter-host keeps crashing' } : d;
      },
      preferredSink: () => supervisor.target,
      log: o.log,
      persist: (targets) => {
        session.targets = targets;
        session.journal();
      },
      publish: o.publish,
      onChange: () => session?.scheduleLayerASync(),
    });
    const layerA = new LayerA({
      supervisor, model: watcher.model, log: o.log, publish: o.publish, memory: o.memory,
      params: () => layerAParams(o.profile()),
      persist: (volumes) => {
        session.volumes = volumes;
        session.journalSoon();
      },
      onMixTarget: (lufs) => session.agc.update(session.layerALeads(), lufs),
    });
    session = new Session(o, watcher, supervisor, router, layerA);
    await session.begin();
    return session;
  }

  private async begin(): Promise<void> {
    const { o, watcher, supervisor, router, layerA } = this;
    supervisor.on((e) => {
      if (e.kind === 'frame') {
        layerA.onFrame(e.frame);
        if (e.frame.kind === 'meter') this.meterTicks.onMeter(e.frame);
      }
      else if (e.kind === 'ready') {
        this.agc.reset(); // the new engine has the profile's values
        if (e.restarts > 0) void layerA.onFilterHostRestart();
        if (this.failSafe) void this.leaveFailSafe();
      } else if (e.kind === 'failed-safe') void this.enterFailSafe(e.crashes);
      else if (e.kind === 'crashed') o.publish('daemon/error', { what: 'filter-host crashed', status: e.status });
    });
    await supervisor.start();
    // journal first, then the default: a kill in between still finds what to give back
    if (o.autoPromote) {
      this.promotedFrom = await readConfiguredDefault(o.tool);
      this.journal();
      await promote(o.tool);
      o.log.info(`${BUS_SINK} is the default sink while headroom runs (was ${this.promotedFrom?.value ?? 'unset'})`);
    }
    let defaultsSerial = watcher.model.metadataNamed('default')?.serial;
    watcher.on((e) => {
      if (e.kind === 'changes') {
        // WirePlumber restarted: its default metadata is new and empty — write every route again
        const m = watcher.model.metadataNamed('default');
        if (m && defaultsSerial !== undefined && m.serial !== defaultsSerial) {
          o.log.warn('WirePlumber restarted: routing every stream again');
          router.rerouteAll();
          if (o.autoPromote) void promote(o.tool).catch(() => undefined);
        }
        if (m) defaultsSerial = m.serial;
        this.defaults?.onGraphChanges(e.changes, watcher.model);
        // a client coming or going (every pw-metadata or pw-link run is one) moves no stream
        if (e.changes.every((c) => c.object === 'client')) return;
        router.onGraphChanged();
        this.followChosenOutput();
      } else if (e.kind === 'problem') o.log.warn(`pw-dump: ${e.reason}`);
      // the terminal's Ctrl-C or hangup (or a stop signal sent to the whole group) reaches
      // our monitor as it reaches us: the daemon is stopping, and the stop (which still has
      // PipeWire) must hand everything back first
      else if (/^SIG(INT|HUP|TERM)\b/.test(e.status)) setTimeout(() => this.lose(`pw-dump was ended by ${e.status}`), TERMINAL_SIGNAL_GRACE_MS);
      else this.lose(`the PipeWire connection was lost (pw-dump exited: ${e.status})`);
    });
    this.followOutput();
    o.log.info(`headroom running: profile ${o.profile().name}, playing into ${supervisor.target}`);
    router.onGraphChanged();
    this.healthTimer = setInterval(() => this.checkHealth(), HEALTH_EVERY_MS);
  }

  /** Whether sound can flow, as of the last look (once a second). */
  get health(): Health {
    return this.healthWatch.health;
  }

  /** A fault that lasts is said at error level with what to do, and so is its end. */
  private checkHealth(): void {
    const { o, supervisor, router, watcher } = this;
    if (this.isLost) return;
    const fh = supervisor.current;
    const processed = [...router.routed.values()]
      .filter((r) => r.decision.route === 'processed' && r.decision.rule !== 'excluded' && !r.stream.dontReconnect)
      .map((r) => ({ serial: r.stream.serial, app: r.stream.app }));
    const problems = healthProblems({
      model: watcher.model, busSink: BUS_SINK, target: supervisor.target, engine: supervisor.state,
      meter: fh?.lastMeter && { active: fh.lastMeter.active, at: fh.lastMeterAt }, processed, now: Date.now(),
    });
    const { health, began, ended } = this.healthWatch.update(problems, Date.now());
    for (const r of began) o.log.error(`sound cannot flow: ${r.message}. ${r.hint}`);
    for (const r of ended) o.log.info(`sound flows again: no longer ${r.code.replaceAll('_', ' ')}`);
    if (began.length > 0 || ended.length > 0) o.publish('daemon/health', health);
  }

  /** The user switches output (headphones plugged in): the bus follows, unless --sink pinned it. */
  private followOutput(): void {
    const { o } = this;
    this.defaults = new DefaultSinkWatcher(
      o.env,
      BUS_SINK,
      (name) => {
        o.log.debug(`the user's output: ${name ?? 'none'}`);
        this.chosenOutput = name;
        this.followChosenOutput();
      },
      () => {
        if (this.isLost) return;
        o.log.warn('pw-metadata --monitor exited; watching the output again in 1 s');
        setTimeout(() => { if (!this.isLost && this.defaults) this.followOutput(); }, 1000);
      },
      (name) => o.log.info(`output change to ${name ?? 'none'} seen by a fresh read (pw-metadata --monitor missed it)`),
    );
  }

  /** The output the user chose, once the graph knows it (the metadata can name a sink
   * before pw-dump has reported it: it is taken up at the next graph change). */
  private followChosenOutput(): void {
    const name = this.chosenOutput;
    if (!name || this.watcher.model.nodeByName(name) === undefined) return;
    this.chosenOutput = undefined;
    if (!this.o.sink) void this.supervisor.setTarget(name).catch((e: Error) => this.o.log.warn(`cannot move the bus to ${name}: ${e.message}`));
    this.o.onOutputChanged(this.o.sink ?? name);
  }

  /** Applies a profile change: DSP parameters to the engine, routes when the rules changed. */
  async applyProfile(changed: readonly string[]): Promise<void> {
    const p = this.o.profile();
    for (const c of dspCommands(p, changed)) await this.supervisor.send(c).catch((e: Error) => this.o.log.warn(`filter-host refused ${c.kind}: ${e.message}`));
    if (changed.some((k) => k.startsWith('agc.'))) this.agc.reset(); // Layer A's next tick aims it again
    if (changed.some((k) => k === 'routing.rules' || k === 'routing.default')) this.router.rerouteAll();
    if (changed.includes('layer_a.enabled')) this.scheduleLayerASync();
  }

  get failedSafe(): boolean {
    return this.failSafe;
  }

  /** Whether Layer A levels every app in the bus (the AGC then leaves the levelling to it). */
  layerALeads(): boolean {
    if (this.failSafe || this.o.profile().settings['layer_a.enabled'] !== true) return false;
    for (const r of this.router.routed.values()) if (r.decision.route === 'processed' && r.decision.rule !== 'excluded' && r.decision.layerA === false) return false;
    return true;
  }

  /** Streams in the bus get a Layer A tap (when enabled), the others lose theirs. */
  scheduleLayerASync(): void {
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => {
      if (this.failSafe || this.isLost) return; // Layer A holds while the engine is down
      const enabled = this.o.profile().settings['layer_a.enabled'] === true;
      const streams = enabled ? [...this.router.routed.values()].filter((r) => r.decision.route === 'processed' && r.decision.rule !== 'excluded' && r.decision.layerA !== false).map((r) => r.stream) : [];
      void this.layerA.sync(streams).catch((e: Error) => this.o.log.warn(`layer A: ${e.message}`));
    }, 20);
  }

  /** The engine keeps crashing: streams go direct at the volume that matches what reached
   * the speakers through the bus — their volume (Layer A's included) turned by the bus's
   * last AGC gain less its compressor's and limiter's reduction, and a margin: on the quiet
   * side, never above 1. */
  private async enterFailSafe(crashes: number): Promise<void> {
    const { o, router, watcher } = this;
    this.failSafe = true;
    o.publish('daemon/error', { what: 'failed safe', crashes, message: `the filter-host crashed ${crashes} times; streams play direct at a matched volume until it runs again` });
    const gain = failSafeGainDb(this.supervisor.last);
    const streams = [...router.routed.values()].filter((r) => r.decision.route === 'processed' && watcher.model.nodeBySerial(r.stream.serial));
    for (const { stream: s } of streams) this.failSafeVolumes.set(s.serial, { nodeId: s.nodeId, serial: s.serial, app: s.app, volume: currentVolume(watcher.model, s.nodeId) });
    // what reached the bus was the app's volume at Layer A's gain (its softVolumes, which the
    // fail-safe volume replaces): the direct volume carries both. Layer A lets go of the
    // streams (their taps, and a filter-host that comes back must not put its gain on top);
    // it takes them up again when the engine runs again.
    const layerAGain = new Map(streams.map(({ stream: s }) => [s.serial, 10 ** ((this.layerA.gainOf(s.serial)?.gainDb ?? 0) / 20)]));
    await this.layerA.sync([]).catch((e: Error) => o.log.warn(`layer A: ${e.message}`));
    o.log.info(`failed safe: ${streams.length} stream(s) play direct, turned by what the bus last did to them (${gain.toFixed(1)} dB: AGC, compressor, limiter and a ${FAIL_SAFE_MARGIN_DB} dB margin; never above 1)`);
    // journal first: a daemon killed while failed safe still knows the volumes to give back
    this.journal();
    for (const v of this.failSafeVolumes.values()) {
      // a filter-host that died holding a gain left it in the stream's softVolumes
      const channels = softGainLeft(watcher.model, v.nodeId);
      if (channels) await o.tool(setChannelVolumesArgv(v.nodeId, channels)).catch((e: Error) => o.log.warn(`volume of node ${v.nodeId}: ${e.message}`));
      await this.setVolume(v.nodeId, failSafeVolume(v.volume * (layerAGain.get(v.serial) ?? 1), gain));
    }
    router.rerouteAll();
  }

  private async leaveFailSafe(): Promise<void> {
    this.failSafe = false;
    this.o.log.info('the filter-host runs again: streams back into the bus');
    this.router.rerouteAll();
    await this.giveBackFailSafeVolumes();
    this.scheduleLayerASync();
  }

  private async giveBackFailSafeVolumes(): Promise<void> {
    if (this.failSafeVolumes.size === 0) return;
    for (const [serial, v] of this.failSafeVolumes) if (this.watcher.model.nodeBySerial(serial)) await this.setVolume(v.nodeId, v.volume);
    this.failSafeVolumes.clear();
    this.journal();
  }

  private async setVolume(nodeId: number, volume: number): Promise<void> {
    await this.o.tool(setVolumeArgv(nodeId, volume)).catch((e: Error) => this.o.log.warn(`volume of node ${nodeId}: ${e.message}`));
  }

  private lose(why: string): void {
    if (this.isLost) return;
    this.isLost = true;
    this.markLost(why);
  }

  private journalLater?: NodeJS.Immediate;
  private journalClosed = false;

  /** Writes the journal now (a small synchronous write, see writeJournal): the metadata or
   * volume write that follows may count on it. A failure is logged; the daemon goes on. */
  private journal(): void {
    clearImmediate(this.journalLater);
    this.journalLater = undefined;
    if (this.journalClosed) return;
    try {
      writeJournal(this.journalState(), this.o.env);
    } catch (e) {
      this.o.log.error(`cannot write the journal: ${(e as Error).message}`);
    }
  }

  /** Writes the journal once the changes under way are through: Layer A taking up 50 new
   * streams is one write (its volumes change at a later tick, after the write). */
  private journalSoon(): void {
    this.journalLater ??= setImmediate(() => this.journal());
  }

  private journalState() {
    // Layer A's saved volume is the user's own; a fail-safe volume counts for streams it does not hold
    const held = new Set(this.volumes.map((v) => v.serial));
    const volumes = [...this.volumes, ...[...this.failSafeVolumes.values()].filter((v) => !held.has(v.serial))];
    return { pid: process.pid, startedAt: this.o.startedAt, targets: this.targets, volumes, promotedFrom: this.promotedFrom };
  }

  /** Ends the session; with restore, the user's session is left as found. Returns streams
   * handed back. `handBack`: PipeWire is known to be there although the session's own
   * processes ended (they died of the signal that stops the daemon). */
  async close(handBack = false): Promise<number> {
    const { o, router, layerA, supervisor, watcher } = this;
    clearTimeout(this.syncTimer);
    clearInterval(this.healthTimer);
    this.meterTicks.stop();
    const lost = this.isLost && !handBack;
    this.isLost = true; // nothing restarts from here on
    let restored = 0;
    if (!lost) {
      // Layer A's gains off the streams (their softVolumes: WirePlumber saves none of it)
      await layerA.restoreAll().catch((e: Error) => o.log.warn(`layer A: ${e.message}`));
      restored = await router.restore().catch(() => 0);
      await this.giveBackFailSafeVolumes();
      if (this.promotedFrom !== undefined) await demote(o.tool, this.promotedFrom).catch((e: Error) => o.log.warn(`could not restore the default sink: ${e.message}`));
      if (restored > 0) await sleep(200); // WirePlumber moves the streams back
    }
    await supervisor.stop();
    if (!lost) {
      const sink = watcher.model.nodeByName(BUS_SINK);
      if (sink) await o.tool(['pw-cli', 'destroy', String(sink.id)]).catch((e: Error) => o.log.warn(`could not remove ${BUS_SINK}: ${e.message}`));
    }
    const d = this.defaults;
    this.defaults = undefined;
    await d?.stop();
    await watcher.stop();
    this.journal(); // the last state on disk (kept when PipeWire was lost: the next start undoes it)
    this.journalClosed = true;
    if (!lost) await removeJournal(o.env);
    return restored;
  }
}
