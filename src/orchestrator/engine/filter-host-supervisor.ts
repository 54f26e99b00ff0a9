// Keeps one filter-host running: start, handshake, restart after a crash (at once, then
// backing off), fail safe on a crash loop while retrying slowly, and a once-a-second look
// at its timing snapshot (WARN when new >5 ms spikes landed). Parameters and bypass are
// re-sent to every new instance.
import { decideRestart, recordCrash, type RestartPolicy } from '../../policy/restart-policy.js';
import { busStages, EventKind, type BusStages, type Command, type Frame } from '../../wire/filter-host-protocol.js';
import { FilterHostProcess, type FilterHostExit } from './filter-host-process.js';
import type { Logger } from '../process/log.js';
import type { FilterHostState } from '../../wire/control-protocol.js';

export type SupervisorEvent =
  | { kind: 'ready'; fh: FilterHostProcess; restarts: number }
  | { kind: 'crashed'; status: string; stderr: string }
  | { kind: 'failed-safe'; crashes: number }
  | { kind: 'frame'; frame: Frame };



export interface SupervisorOptions {
  /** node.name of the real sink; follows setTarget */
  target: string;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  policy?: RestartPolicy;
  /** what a fresh instance must be told before it is used (parameters, bypass) */
  setup?: () => Command[];
}

export class FilterHostSupervisor {
  state: FilterHostState = 'stopped';
  restarts = 0;
  current?: FilterHostProcess;
  private crashes: number[] = [];
  /** when the running instance was ready (its uptime decides whether a crash continues a loop) */
  private readyAt?: number;
  private timer?: NodeJS.Timeout;
  private sampler?: NodeJS.Timeout;
  private lastSpikes = 0;
  /** the AGC gain, compressor and limiter reduction of the last meter frame (a restart
   * continues there) */
  last?: BusStages;
  private readonly listeners = new Set<(e: SupervisorEvent) => void>();

  constructor(private readonly opts: SupervisorOptions) {}

  on(listener: (e: SupervisorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.state = 'starting';
    await this.launch();
    this.sampler = setInterval(() => this.sampleTiming(), 1000);
  }

  /** Ends the filter-host (stdin EOF: it exits 0 and removes its streams). */
  async stop(): Promise<FilterHostExit | undefined> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    clearInterval(this.sampler);
    const fh = this.current;
    this.current = undefined;
    return fh?.close();
  }

  /** node.name of the real sink the bus plays into. */
  get target(): string {
    return this.opts.target;
  }

  /** A new output device: the running instance moves there, and so does every restart. */
  async setTarget(name: string): Promise<void> {
    if (name === this.opts.target) return;
    this.opts.target = name;
    await this.send({ kind: 'setTarget', name });
    this.opts.log.info(`the bus now plays into ${name}`);
  }

  /** Sends to the running instance; resolves false when there is none. */
  async send(command: Command): Promise<boolean> {
    if (!this.current || this.state !== 'running') return false;
    await this.current.send(command);
    return true;
  }

  private async launch(): Promise<void> {
    let fh: FilterHostProcess;
    try {
      fh = await FilterHostProcess.start({ target: this.opts.target, env: this.opts.env, continueFrom: this.last });
    } catch (e) {
      this.opts.log.error(`filter-host did not start: ${(e as Error).message}`);
      this.onCrash((e as Error).message, '');
      return;
    }
    if (this.state === 'stopped') {
      await fh.close();
      return;
    }
    this.current = fh;
    this.readyAt = Date.now();
    fh.on((frame) => {
      if (frame.kind === 'meter') this.last = busStages(frame);
      else if (frame.kind === 'event') this.logEvent(frame);
      this.emit({ kind: 'frame', frame });
    });
    void fh.exited.then((exit) => {
      if (this.current !== fh || this.state === 'stopped') return;
      this.current = undefined;
      this.opts.log.warn(`filter-host exited: ${exit.status}${exit.stderr ? ` (${exit.stderr.split('\n').at(-1)})` : ''}`);
      this.onCrash(exit.status, exit.stderr);
    });
    for (const c of this.opts.setup?.() ?? []) {
      if (this.current !== fh) return; // it died while being set up: onCrash has taken over
      await fh.send(c).catch((e: Error) => this.opts.log.warn(`filter-host refused ${c.kind}: ${e.message}`));
    }
    if (this.current !== fh) return;
    this.state = 'running';
    this.lastSpikes = 0;
    this.opts.log.info(`filter-host running (pid ${fh.pid}, playing into ${this.opts.target})`);
    this.emit({ kind: 'ready', fh, restarts: this.restarts });
  }

  private onCrash(status: string, stderr: string): void {
    const now = Date.now();
    this.crashes = recordCrash(this.crashes, now, this.readyAt ? now - this.readyAt : 0, this.opts.policy);
    this.readyAt = undefined;
    this.emit({ kind: 'crashed', status, stderr });
    const d = decideRestart(this.crashes, now, this.opts.policy);
    if (d.kind === 'fail-safe') {
      if (this.state !== 'failed-safe') {
        this.opts.log.error(`filter-host crashed ${this.crashes.length} times in a row: failing safe, retrying every ${d.retryInMs / 1000} s`);
        this.state = 'failed-safe';
        this.emit({ kind: 'failed-safe', crashes: this.crashes.length });
      }
      this.schedule(d.retryInMs);
    } else {
      this.state = 'restarting';
      this.schedule(d.delayMs);
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.state === 'stopped') return;
      this.restarts++;
      void this.launch();
    }, ms);
  }

  /** What the engine tells of its streams: an error is worth a warning; its output coming
   * and going is news (a switch of output unlinks it for a moment; the health check says
   * when that lasts), the rest is detail. */
  private logEvent(e: Extract<Frame, { kind: 'event' }>): void {
    const { log } = this.opts;
    switch (e.event) {
      case EventKind.streamError: return log.warn(`filter-host: a stream failed: ${e.text}`);
      case EventKind.targetLost: return log.info(`filter-host: the bus is no longer linked to ${JSON.stringify(e.text)}`);
      case EventKind.targetLinked: return log.info(`filter-host: the bus plays into ${JSON.stringify(e.text)}`);
      case EventKind.formatChanged: return log.debug(`filter-host: the bus runs at ${e.a} Hz, ${e.b} channel(s)`);
      default: return log.debug(`filter-host: event ${e.event} (${e.a}, ${e.b}) ${e.text}`);
    }
  }

  /** Once a second: the callback timing, at WARN when new spikes landed since the last look. */
  private sampleTiming(): void {
    const m = this.current?.lastMeter;
    if (!m) return;
    const t = m.timing;
    const mean = t.calls > 0n ? Number(t.sumUs) / Number(t.calls) : 0;
    const line = `filter-host timing: ${t.calls} calls, mean ${mean.toFixed(1)} µs, max ${t.maxUs} µs, ${t.spikes} spikes > 5 ms (last ${t.lastSpikeUs} µs at call ${t.lastSpikeAtCall})`;
    if (t.spikes > this.lastSpikes) this.opts.log.warn(line);
    else this.opts.log.debug(line);
    this.lastSpikes = t.spikes;
  }

  private emit(e: SupervisorEvent): void {
    for (const l of this.listeners) l(e);
  }
}
