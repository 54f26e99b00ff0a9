// Layer A, the effectful shell around policy/layer-a.ts: every stream routed into the bus
// gets a tap in the filter-host (which links the stream into it itself); each meter tick
// the control law runs on the taps' readings and the filter-host sets the streams'
// Props.volume (never the user's channelVolumes). A stream that leaves the bus, goes
// away, or a headroom that stops, gets its volume back.
import type { GraphModel } from '../../graph/model.js';
import type { AppStream } from '../../graph/streams.js';
import { LAYER_A_ACTIVE_LUFS, ownLoudness, stepLayerA, type LayerAParams } from '../../policy/layer-a.js';
import { REPEAT_TICKS, TICK_MS, type Frame } from '../../wire/filter-host-protocol.js';
import type { FilterHostSupervisor } from '../engine/filter-host-supervisor.js';
import type { Logger } from '../process/log.js';
import type { SavedVolume } from '../state/route-journal.js';
import type { LayerALevel, Publish } from '../../wire/control-protocol.js';

/** Volume steps smaller than this are not sent (the tick would otherwise send every 0.1 s). */
const MIN_STEP_DB = 0.25;
const HISTORY_TICKS = 30;

interface Attached {
  stream: AppStream;
  tapId: number;
  baseVolume: number;
  reductionDb: number;
  sentDb: number;
  history: number[];
  momentary: number;
  shortTerm: number;
}

export interface LayerAOptions {
  supervisor: FilterHostSupervisor;
  model: GraphModel;
  params: () => LayerAParams;
  log: Logger;
  /** an event; data may be a function that builds it, called only when someone listens */
  publish: Publish;
  /** called with the volumes to give back whenever that set changes */
  persist?: (volumes: SavedVolume[]) => void;
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

export class LayerA {
  private readonly attached = new Map<number, Attached>(); // by serial
  private readonly byTap = new Map<number, Attached>(); // the same, by tap id
  private nextTap = 1;
  private lastTick = 0;

  constructor(private readonly o: LayerAOptions) {}

  /** The reduction (dB) Layer A applies to a stream now, or undefined when it has no tap. */
  reductionOf(serial: number): number | undefined {
    return this.attached.get(serial)?.reductionDb;
  }

  /** Own loudness (LUFS, before Layer A) of every attached stream, by serial. */
  loudness(): Map<number, number> {
    return new Map([...this.attached].map(([serial, a]) => [serial, ownLoudness(this.input(a))]));
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
      if (a) {
        a.momentary = f.momentary;
        a.shortTerm = f.shortTerm;
      }
    } else this.tick();
  }

  /** A new filter-host has none of the old one's taps: ask again for every stream. */
  async onFilterHostRestart(): Promise<void> {
    for (const a of this.attached.values()) {
      this.byTap.delete(a.tapId);
      a.tapId = this.nextTap++;
      this.byTap.set(a.tapId, a);
      await this.o.supervisor.send({ kind: 'addTap', tapId: a.tapId, streamSerial: BigInt(a.stream.serial) }).catch((e: Error) => this.o.log.warn(`layer A: no tap for ${JSON.stringify(a.stream.app)}: ${e.message}`));
    }
  }

  /** Every stream's volume back and every tap removed (headroom stops); true when a volume was given back. */
  async restoreAll(): Promise<boolean> {
    const changed = [...this.attached.values()].some((a) => a.sentDb !== 0);
    await Promise.all([...this.attached.values()].map((a) => this.detach(a)));
    return changed;
  }

  /** The saved volumes of the streams Layer A holds. */
  savedVolumes(): SavedVolume[] {
    return [...this.attached.values()].map((a) => ({ nodeId: a.stream.nodeId, serial: a.stream.serial, app: a.stream.app, volume: a.baseVolume }));
  }

  private input(a: Attached) {
    return { serial: a.stream.serial, momentary: a.momentary, shortTerm: a.shortTerm, history: a.history, reductionDb: a.reductionDb };
  }

  private async attach(s: AppStream): Promise<void> {
    const a: Attached = { stream: s, tapId: this.nextTap++, baseVolume: currentVolume(this.o.model, s.nodeId), reductionDb: 0, sentDb: 0, history: [], momentary: -200, shortTerm: -200 };
    this.attached.set(s.serial, a);
    this.byTap.set(a.tapId, a);
    this.o.persist?.(this.savedVolumes());
    await this.o.supervisor.send({ kind: 'addTap', tapId: a.tapId, streamSerial: BigInt(s.serial) }).catch((e: Error) => this.o.log.warn(`layer A: no tap for ${JSON.stringify(s.app)}: ${e.message}`));
    this.o.log.debug(`layer A attached to ${JSON.stringify(s.app)} (serial ${s.serial}, volume ${a.baseVolume})`);
    this.o.publish('routing/layer_a_attached', { nodeId: s.nodeId, serial: s.serial, app: s.app });
  }

  private async detach(a: Attached): Promise<void> {
    this.attached.delete(a.stream.serial);
    this.byTap.delete(a.tapId);
    await this.o.supervisor.send({ kind: 'removeTap', tapId: a.tapId }).catch(() => undefined);
    if (a.sentDb !== 0 && this.o.model.nodeBySerial(a.stream.serial))
      await this.setVolume(a, a.baseVolume).catch((e: Error) => this.o.log.warn(`layer A: cannot give ${JSON.stringify(a.stream.app)} its volume back: ${e.message}`));
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
    const all = [...this.attached.values()];
    for (let i = 0; i < missed && all.length > 0; i++) this.advance(all, TICK_MS / 1000);
    this.lastTick += missed * TICK_MS;
  }

  private advance(all: Attached[], dt: number): void {
    const next = stepLayerA(all.map((a) => this.input(a)), this.o.params(), dt);
    for (const a of all) {
      a.reductionDb = next.get(a.stream.serial) ?? a.reductionDb;
      a.history.push(a.reductionDb);
      if (a.history.length > HISTORY_TICKS) a.history.shift();
    }
  }

  private tick(): void {
    const now = Date.now();
    const dt = this.lastTick ? Math.min(0.5, (now - this.lastTick) / 1000) : 0.1;
    this.lastTick = now;
    const all = [...this.attached.values()];
    if (all.length === 0) return;
    this.advance(all, dt);
    for (const a of all) {
      if (Math.abs(a.reductionDb - a.sentDb) >= MIN_STEP_DB || (a.reductionDb === 0 && a.sentDb !== 0)) {
        const db = a.reductionDb;
        void this.setVolume(a, a.baseVolume * 10 ** (-db / 20)).then(() => (a.sentDb = db), () => undefined);
      }
      // built only when someone is subscribed
      this.o.publish('meters/layer_a_level', () => {
        const own = ownLoudness(this.input(a));
        return {
          nodeId: a.stream.nodeId, serial: a.stream.serial, app: a.stream.app,
          volumeLin: Math.round(a.baseVolume * 10 ** (-a.reductionDb / 20) * 1e4) / 1e4,
          reductionDb: Math.round(a.reductionDb * 10) / 10,
          loudnessLufs: own < LAYER_A_ACTIVE_LUFS - 50 ? null : Math.round(own * 10) / 10,
        } satisfies LayerALevel;
      });
    }
  }

  private async setVolume(a: Attached, volume: number): Promise<void> {
    const ok = await this.o.supervisor.send({ kind: 'setVolume', nodeId: a.stream.nodeId, volume, streamSerial: BigInt(a.stream.serial) });
    if (!ok) throw new Error('the filter-host is not running');
  }
}
