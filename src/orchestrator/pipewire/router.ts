// Puts app streams where the routing policy says: `target.object` metadata by name (so a
// stream comes back by itself when the sink reappears), then the real links checked and
// repaired with pw-link by port ids, because WirePlumber does not always move what the
// metadata says and sometimes adds its own links on top (audio twice). On stop, the keys
// headroom set are deleted while the streams still exist, so WirePlumber forgets them.
import type { GraphModel, GraphNode } from '../../graph/model.js';
import { appStreams, streamIdentity, type AppStream } from '../../graph/streams.js';
import { isEngine, planLinks, type LinkPlan } from '../../policy/link-plan.js';
import type { RouteDecision } from '../../policy/routing.js';
import type { Logger } from '../process/log.js';
import { mapLimit } from '../process/map-limit.js';
import type { JournalEntry } from '../state/route-journal.js';
import { BUS_SINK } from '../../wire/node-names.js';
import type { Publish } from '../../wire/control-protocol.js';

/** Links are checked this long after the last graph change (a burst of changes is one check). */
const VERIFY_AFTER_MS = 100;
/** WirePlumber gets this long to follow a fresh target.object before headroom links by hand
 * (per stream it still has to move, up to the max)... */
const WIREPLUMBER_GRACE_MS = 80;
const WIREPLUMBER_GRACE_MAX_MS = 2000;
/** PipeWire tools run side by side in a burst, at most this many at a time. */
const TOOLS_AT_ONCE = 3;

export interface RoutedStream {
  stream: AppStream;
  decision: RouteDecision;
  /** we wrote target.object for it (and must delete it again) */
  metadataSet: boolean;
  routedAt: number;
}

export interface RouterOptions {
  model: GraphModel;
  /** runs a PipeWire tool (pw-metadata, pw-link) with argv, never a shell */
  tool: (argv: readonly string[]) => Promise<string>;
  decide: (s: AppStream) => RouteDecision;
  /** node.name of the real sink direct streams play to */
  preferredSink: () => string | undefined;
  log: Logger;
  /** called with every target.object headroom has set, after each change: the journal,
   * on disk when this returns */
  persist?: (targets: JournalEntry[]) => void;
  /** routing/stream_routed and routing/stream_removed events */
  publish?: Publish;
  /** after a stream was routed or forgotten */
  onChange?: () => void;
}

export class Router {
  readonly routed = new Map<number, RoutedStream>(); // by serial
  private verifyTimer?: NodeJS.Timeout;
  private busy: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly pending = new Set<number>(); // serials with a routing step queued

  constructor(private readonly o: RouterOptions) {}

  /** Call after every graph change: new streams get routed, gone ones forgotten, links checked soon. */
  onGraphChanged(): void {
    if (this.stopping) return;
    const live = new Map(appStreams(this.o.model).map((s) => [s.serial, s]));
    let removed = false;
    for (const [serial, r] of this.routed)
      if (!live.has(serial)) {
        this.routed.delete(serial);
        removed = true;
        this.o.publish?.('routing/stream_removed', { serial, nodeId: r.stream.nodeId, app: r.stream.app });
      }
    if (removed) this.o.onChange?.();
    // every new stream of this change in one routing step: one journal write, the metadata
    // writes side by side (50 streams starting at once must not queue 50 spawns and fsyncs)
    const fresh = [...live.values()].filter((s) => !this.routed.has(s.serial) && !this.pending.has(s.serial));
    if (fresh.length > 0) {
      for (const s of fresh) this.pending.add(s.serial);
      this.enqueue(() => this.route(fresh).finally(() => fresh.forEach((s) => this.pending.delete(s.serial))));
    }
    clearTimeout(this.verifyTimer);
    // a settled stream that plays somewhere else too (WirePlumber linked it again beside the
    // bus: it would play twice, louder) is mended now, not after the graph calms down
    this.verifyTimer = setTimeout(() => this.enqueue(() => this.verifyAll()), this.playsTwice() ? 0 : VERIFY_AFTER_MS);
  }

  /** The node a stream's route plays into: the bus, or the user's output. */
  private targetOf(r: RoutedStream): GraphNode | undefined {
    const name = r.decision.route === 'processed' ? BUS_SINK : this.o.preferredSink();
    return name ? this.o.model.nodeByName(name) : undefined;
  }

  /** Whether a settled stream plays into its target and into something else (louder, twice). */
  private playsTwice(): boolean {
    const m = this.o.model;
    const now = Date.now();
    for (const r of this.routed.values()) {
      if (r.decision.rule === 'excluded' || r.stream.dontReconnect || now - r.routedAt < WIREPLUMBER_GRACE_MS) continue;
      const target = this.targetOf(r);
      const node = m.nodeBySerial(r.stream.serial);
      if (!target || !node) continue;
      // into its target and somewhere else too; one that WirePlumber has not moved yet (a
      // burst of new streams keeps it busy) waits for the graph to calm down instead
      const into = m.linksFrom(node.id).filter((l) => !isEngine(m, l.inputNode));
      if (into.some((l) => l.inputNode === target.id) && into.some((l) => l.inputNode !== target.id)) return true;
    }
    return false;
  }

  /** Re-decide every stream (a rule or the profile changed). */
  rerouteAll(): void {
    this.enqueue(() => this.route([...this.routed.values()].map((r) => r.stream)));
  }

  /** Deletes every target.object headroom set on streams that still exist. */
  async restore(): Promise<number> {
    this.stopping = true; // from here on WirePlumber moves the streams back: no more repairs
    clearTimeout(this.verifyTimer);
    await this.busy;
    let n = 0;
    for (const r of this.routed.values()) {
      if (!r.metadataSet || this.o.model.nodeBySerial(r.stream.serial) === undefined) continue;
      await this.tool(['pw-metadata', '-d', String(r.stream.nodeId), 'target.object']);
      r.metadataSet = false;
      n++;
    }
    return n;
  }

  private persist(): void {
    const targets = [...this.routed.values()].filter((r) => r.metadataSet).map((r) => ({ nodeId: r.stream.nodeId, serial: r.stream.serial, app: r.stream.app }));
    this.o.persist?.(targets);
  }

  /** Serialises tool calls: one routing step at a time, in order. */
  private enqueue(step: () => Promise<void>): void {
    this.busy = this.busy.then(step).catch((e: Error) => this.o.log.warn(`routing: ${e.message}`));
  }

  private async tool(argv: readonly string[]): Promise<void> {
    await this.o.tool(argv);
  }

  private async route(streams: readonly AppStream[]): Promise<void> {
    const now = Date.now();
    const entries = streams.filter((s) => this.o.model.nodeBySerial(s.serial) !== undefined).map((s) => {
      const entry: RoutedStream = { stream: s, decision: this.o.decide(s), metadataSet: this.routed.get(s.serial)?.metadataSet ?? false, routedAt: now };
      this.routed.set(s.serial, entry);
      return entry;
    });
    const into = entries.filter((e) => e.decision.route === 'processed');
    const out = entries.filter((e) => e.decision.route === 'direct' && e.metadataSet);
    // journal first: a daemon killed right after the metadata write still knows to undo it
    for (const e of into) e.metadataSet = true;
    if (into.length > 0) this.persist();
    const failures = await mapLimit([...into.map((e) => ['set', e] as const), ...out.map((e) => ['unset', e] as const)], TOOLS_AT_ONCE, async ([what, e]) => {
      if (what === 'set') return this.tool(['pw-metadata', String(e.stream.nodeId), 'target.object', BUS_SINK]);
      await this.tool(['pw-metadata', '-d', String(e.stream.nodeId), 'target.object']);
      e.metadataSet = false;
    });
    if (out.length > 0) this.persist();
    // WirePlumber's grace starts now: it cannot move a stream before the metadata says so
    const written = Date.now();
    for (const e of entries) e.routedAt = written;
    for (const f of failures) if (f.status === 'rejected') this.o.log.warn(`routing: ${(f.reason as Error).message}`);
    for (const { stream: s, decision } of entries) {
      this.o.publish?.('routing/stream_routed', { serial: s.serial, nodeId: s.nodeId, app: s.app, ...streamIdentity(s), route: decision.route, rule: decision.rule, ...(decision.reason ? { reason: decision.reason } : {}) });
      this.o.log.log(decision.rule === 'excluded' ? 'debug' : 'info', `routed ${JSON.stringify(s.app)} (serial ${s.serial}) ${decision.route} by ${decision.rule} rule${decision.reason ? `: ${decision.reason}` : ''}`);
    }
    if (entries.length > 0) this.o.onChange?.();
  }

  /** Links must match the routes: repair what WirePlumber did not do or did twice. */
  private async verifyAll(): Promise<void> {
    if (this.stopping) return;
    // new streams waiting to be routed go first: a burst is not held up by repairs
    if (this.pending.size > 0) return this.verifySoon();
    const model = this.o.model;
    let again = false;
    const unsettled: { r: RoutedStream; plan: LinkPlan }[] = [];
    for (const r of this.routed.values()) {
      if (r.decision.rule === 'excluded' || r.stream.dontReconnect) continue;
      const node = model.nodeBySerial(r.stream.serial);
      if (!node) continue;
      const target = this.targetOf(r);
      if (!target || model.portsOf(node.id, 'output').length === 0 || model.portsOf(target.id, 'input').length === 0) continue;
      const plan = planLinks(model, node.id, target.id);
      if (plan.unlink.length > 0 || plan.link.length > 0) unsettled.push({ r, plan });
    }
    // give WirePlumber its moment after a fresh route before overruling it: longer while it
    // has many streams to move (50 apps starting at once), or both of us move each of them
    const grace = Math.min(WIREPLUMBER_GRACE_MAX_MS, WIREPLUMBER_GRACE_MS * Math.max(1, unsettled.length));
    const repairs: LinkPlan[] = [];
    for (const { r, plan } of unsettled) {
      if (Date.now() - r.routedAt < grace) {
        again = true;
        continue;
      }
      const into = (id: number) => { const l = model.links.get(id); return l ? `${String(model.nodes.get(l.inputNode)?.props['node.name'])}:${l.outputPort}>${l.inputPort}` : String(id); };
      this.o.log.info(`repairing links of ${JSON.stringify(r.stream.app)} (serial ${r.stream.serial}): -${plan.unlink.length} +${plan.link.length}${plan.unlink.length ? ` (removed ${plan.unlink.map(into).join(', ')})` : ''}`);
      repairs.push(plan);
      r.routedAt = Date.now(); // and WirePlumber gets its grace again before the next repair
    }
    // every stream's repair side by side: unlinks first, then links
    await mapLimit(repairs.flatMap((p) => p.unlink), TOOLS_AT_ONCE, (id) => this.tool(['pw-link', '-d', String(id)]));
    await mapLimit(repairs.flatMap((p) => p.link), TOOLS_AT_ONCE, ([o, i]) => this.tool(['pw-link', String(o), String(i)]));
    if (again) this.verifySoon();
  }

  private verifySoon(): void {
    clearTimeout(this.verifyTimer);
    this.verifyTimer = setTimeout(() => this.enqueue(() => this.verifyAll()), VERIFY_AFTER_MS);
  }
}
