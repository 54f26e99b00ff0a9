// Layer A, the effectful shell around policy/layer-a.ts: every stream routed into the bus
// gets a tap in the filter-host (which links the stream into it itself) and starts at the
// gain remembered for its app, its start guarded by the filter-host (a loud start is cut
// there within milliseconds, and released if it decays; the TAP frames say so); each meter
// tick the control law runs on the taps' readings and the filter-host puts the gains on the
// streams as softVolumes over the user's own volumes (which it never changes, and which
// WirePlumber saves: softVolumes it never does). A stream that leaves the bus, or a headroom
// that stops, gets its own volumes back (the filter-host does that when its tap goes), and
// its app's settled gain is remembered.
import type { GraphModel } from '../../graph/model.js';
import type { AppStream } from '../../graph/streams.js';
import { adoptGuardGain, busTargetLufs, newAppLevel, onsetGuard, ownLevel, stepApp, type AppLevel, type LayerAParams, type TapReading } from '../../policy/layer-a.js';
import { REPEAT_TICKS, TAP_GAIN_MAX_DB, TAP_GAIN_MIN_DB, TICK_MS, type Frame } from '../../wire/filter-host-protocol.js';
import type { FilterHostSupervisor } from '../engine/filter-host-supervisor.js';
import type { Logger } from '../process/log.js';
import type { SavedVolume } from '../state/route-journal.js';
import type { LayerALevel, Publish } from '../../wire/control-protocol.js';

/** Volume steps smaller than this are not sent (the tick would otherwise send every 0.1 s). */
const MIN_STEP_DB = 0.25;
/** A settled gain that moved by this much is remembered again. */
const REMEMBER_STEP_DB = 0.5;
/** An own loudness this far under the gate is no measurement (null in events and status). */
const SHOWN_DOWN_TO_LU = 50;

interface Attached {
  stream: AppStream;
  tapId: number;
  level: AppLevel;
  reading: TapReading;
  sentDb: number;
  /** the onset guard's changes of this tap's gain seen so far (the filter-host counts them) */
  guardSteps: number;
  /** the gain last put in the memory */
  remembered?: number;
}

/** Layer A's memory of each app's gain (state/app-gains.ts). */
export interface GainMemory {
  get(s: AppStream): number | undefined;
  set(s: AppStream, gainDb: number): void;
}

export interface LayerAOptions {
  supervisor: FilterHostSupervisor;
  model: GraphModel;
  params: () => LayerAParams;
  memory?: GainMemory;
  log: Logger;
  /** an event; data may be a function that builds it, called only when someone listens */
  publish: Publish;
  /** called with the volumes to give back whenever that set changes */
  persist?: (volumes: SavedVolume[]) => void;
  /** after each tick: the loudness of the mix Layer A makes (the bus AGC's target), undefined when no app has a programme */
  onMixTarget?: (lufs: number | undefined) => void;
}

/** The stream's Props.volume as pw-dump shows it (1 when it does not say). */
export function currentVolume(model: GraphModel, nodeId: number): number {
  const props = model.nodes.get(nodeId)?.params.Props?.[0] as { volume?: unknown } | undefined;
  return typeof props?.volume === 'number' && Number.isFinite(props.volume) ? props.volume : 1;
}

/** Props.volume set without the filter-host (it may be the one that is down): pw-cli, linear. */
export function setVolumeArgv(nodeId: number, volume: number): string[] {
  return ['pw-cli', 'set-param', String(nodeId), 'Props', `{ volume: ${volume.toFixed(5)} }`];
}

interface StreamProps { channelVolumes?: unknown; softVolumes?: unknown }
const floats = (v: unknown): number[] | undefined => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? v : undefined);

/** When Layer A's gain is still on a stream (its softVolumes are not its user's
 * channelVolumes), the channelVolumes to write back — the converter then derives its
 * softVolumes from them again; undefined when there is nothing to give back. */
export function softGainLeft(model: GraphModel, nodeId: number): number[] | undefined {
  const p = model.nodes.get(nodeId)?.params.Props?.[0] as StreamProps | undefined;
  const channels = floats(p?.channelVolumes);
  const soft = floats(p?.softVolumes);
  if (!channels || !soft || soft.length !== channels.length) return undefined;
  return soft.some((s, i) => Math.abs(s - (channels[i] as number)) > 1e-4 * (1 + s)) ? channels : undefined;
}

/** The user's channelVolumes written again (pw-cli): the stream's softVolumes follow them. */
export function setChannelVolumesArgv(nodeId: number, channelVolumes: readonly number[]): string[] {
  return ['pw-cli', 'set-param', String(nodeId), 'Props', `{ channelVolumes: [ ${channelVolumes.map((v) => v.toFixed(6)).join(', ')} ] }`];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export class LayerA {
  private readonly attached = new Map<number, Attached>(); // by serial
  private readonly byTap = new Map<number, Attached>(); // the same, by tap id
  private nextTap = 1;
  private lastTick = 0;

  constructor(private readonly o: LayerAOptions) {}

  /** The gain (dB) Layer A gives a stream now and why, or undefined when it has no tap. */
  gainOf(serial: number): Pick<AppLevel, 'gainDb' | 'reason'> | undefined {
    const a = this.attached.get(serial);
    return a && { gainDb: a.level.gainDb, reason: a.level.reason };
  }

  /** Own loudness (LUFS, before Layer A) of every attached stream, by serial. */
  loudness(): Map<number, number> {
    const gate = this.o.params().gateLufs;
    return new Map([...this.attached].map(([serial, a]) => [serial, ownLevel(a.level, gate)]));
  }

  /** The streams that should have a tap: attach the new ones, give back the ones that left. */
  async sync(streams: readonly AppStream[]): Promise<void> {
    const want = new Map(streams.map((s) => [s.serial, s]));
    for (const [serial, a] of this.attached) if (!want.has(serial)) await this.detach(a);
    for (const s of want.values()) if (!this.attached.has(s.serial)) await this.attach(s);
  }

  /** Frames of the running filter-host: tap readings and the 10 Hz tick. */
  onFrame(f: Frame): void {
    if (f.kind !== 'tap' && f.kind !== 'meter') return;
    this.catchUp();
    if (f.kind === 'tap') {
      const a = this.byTap.get(f.tapId);
      if (!a) return;
      a.reading = { momentary: f.momentary, shortTerm: f.shortTerm };
      if (f.guardSteps > a.guardSteps) {
        // the onset guard moved the stream's gain (a cut, a release): its volume is there already
        a.guardSteps = f.guardSteps;
        a.level = adoptGuardGain(a.level, f.gainDb);
        a.sentDb = a.level.gainDb;
        this.o.log.debug(`layer A: ${JSON.stringify(a.stream.app)} at ${a.level.gainDb.toFixed(1)} dB by the onset guard (its start cut or released)`);
      }
    } else this.tick();
  }

  /** A new filter-host has none of the old one's taps: ask again for every stream. */
  async onFilterHostRestart(): Promise<void> {
    for (const a of this.attached.values()) {
      this.byTap.delete(a.tapId);
      a.tapId = this.nextTap++;
      a.guardSteps = 0;
      this.byTap.set(a.tapId, a);
      await this.addTap(a);
      await this.send(a);
    }
  }

  /** Every tap removed, and with it every stream's own volumes back (headroom stops). */
  async restoreAll(): Promise<void> {
    await Promise.all([...this.attached.values()].map((a) => this.detach(a)));
  }

  /** The streams Layer A holds a gain on, for the journal (a killed headroom leaves them). */
  savedVolumes(): SavedVolume[] {
    return [...this.attached.values()].map((a) => ({ nodeId: a.stream.nodeId, serial: a.stream.serial, app: a.stream.app, soft: true as const }));
  }

  private async addTap(a: Attached): Promise<void> {
    await this.o.supervisor.send({ kind: 'addTap', tapId: a.tapId, streamSerial: BigInt(a.stream.serial) }).catch((e: Error) => this.o.log.warn(`layer A: no tap for ${JSON.stringify(a.stream.app)}: ${e.message}`));
  }

  private async attach(s: AppStream): Promise<void> {
    const remembered = this.o.memory?.get(s);
    const level = newAppLevel(this.o.params(), remembered);
    const a: Attached = { stream: s, tapId: this.nextTap++, level, reading: { momentary: -200, shortTerm: -200 }, sentDb: 0, guardSteps: 0, remembered: level.settledDb };
    this.attached.set(s.serial, a);
    this.byTap.set(a.tapId, a);
    this.o.persist?.(this.savedVolumes());
    // the tap, then at once its gain (a remembered one) and its onset guard
    await this.addTap(a);
    await this.send(a);
    this.o.log.debug(`layer A attached to ${JSON.stringify(s.app)} (serial ${s.serial}${remembered === undefined ? '' : `, remembered ${a.level.gainDb} dB`})`);
    this.o.publish('routing/layer_a_attached', { nodeId: s.nodeId, serial: s.serial, app: s.app });
  }

  private async detach(a: Attached): Promise<void> {
    this.attached.delete(a.stream.serial);
    this.byTap.delete(a.tapId);
    if (a.level.settledDb !== undefined && a.level.settledDb !== a.remembered) this.o.memory?.set(a.stream, a.level.settledDb);
    // the filter-host gives the stream its own volumes back as the tap goes
    await this.o.supervisor.send({ kind: 'removeTap', tapId: a.tapId }).catch(() => undefined);
    this.o.persist?.(this.savedVolumes());
    this.o.log.debug(`layer A detached from ${JSON.stringify(a.stream.app)} (serial ${a.stream.serial})`);
    this.o.publish('routing/layer_a_detached', { nodeId: a.stream.nodeId, serial: a.stream.serial, app: a.stream.app });
  }

  /** The ticks the engine did not write (their readings had not changed) are run on the
   * readings they would have carried, before a new reading lands: the control law and its
   * history move exactly as at 10 Hz. */
  private catchUp(): void {
    if (!this.lastTick) return;
    const missed = Math.min(REPEAT_TICKS - 1, Math.floor((Date.now() - this.lastTick + 30) / TICK_MS) - 1);
    if (missed <= 0) return;
    for (let i = 0; i < missed; i++) this.advance(TICK_MS / 1000);
    this.lastTick += missed * TICK_MS;
  }

  private advance(dtS: number): void {
    const p = this.o.params();
    for (const a of this.attached.values()) a.level = stepApp(a.level, a.reading, p, dtS);
  }

  private tick(): void {
    const now = Date.now();
    const dt = this.lastTick ? Math.min(0.5, (now - this.lastTick) / 1000) : 0.1;
    this.lastTick = now;
    this.advance(dt);
    const p = this.o.params();
    this.o.onMixTarget?.(busTargetLufs([...this.attached.values()].map((a) => a.level), p));
    for (const a of this.attached.values()) {
      this.remember(a);
      const g = a.level.gainDb;
      if (Math.abs(g - a.sentDb) >= MIN_STEP_DB || (g === 0 && a.sentDb !== 0)) void this.send(a);
      // built only when someone is subscribed
      this.o.publish('meters/layer_a_level', () => {
        const own = ownLevel(a.level, p.gateLufs);
        return {
          nodeId: a.stream.nodeId, serial: a.stream.serial, app: a.stream.app,
          volumeLin: Math.round(10 ** (g / 20) * 1e4) / 1e4,
          gainDb: round1(g), reason: a.level.reason,
          loudnessLufs: own < p.gateLufs - SHOWN_DOWN_TO_LU ? null : round1(own),
        } satisfies LayerALevel;
      });
    }
  }

  /** The app's settled gain into the memory when it moved (its next stream starts there). */
  private remember(a: Attached): void {
    const s = a.level.settledDb;
    if (s === undefined || (a.remembered !== undefined && Math.abs(s - a.remembered) < REMEMBER_STEP_DB)) return;
    a.remembered = s;
    this.o.memory?.set(a.stream, s);
  }

  /** The stream's volume at its gain now, through its tap (which guards its start). */
  private async send(a: Attached): Promise<void> {
    const db = Math.min(TAP_GAIN_MAX_DB, Math.max(TAP_GAIN_MIN_DB, a.level.gainDb));
    const seen = a.guardSteps;
    const ok = await this.o.supervisor.send({ kind: 'setTapGain', tapId: a.tapId, seenSteps: seen, gainDb: db, ...onsetGuard(this.o.params()) }).catch(() => false);
    // a change of the guard's that came meanwhile was taken over as the gain sent
    if (ok && a.guardSteps === seen) a.sentDb = db;
  }
}
