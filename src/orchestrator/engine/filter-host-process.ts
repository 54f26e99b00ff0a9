// One running filter-host: spawn, version handshake (HELLO, then READY), commands with
// their ACK/ERROR matched by seq, frames to listeners, and the exit in words.
import { HeadroomError } from '../../errors.js';
import { filterHostPath, type FilterHostVariant } from '../../native/filter-host-binary.js';
import { encodeCommand, WIRE_VERSION, type BusStages, type Command, type Frame } from '../../wire/filter-host-protocol.js';
import { FrameReader, type ReadProblem } from '../../wire/frame-reader.js';
import { describeExit, spawnPiped } from '../process/exec.js';

export interface FilterHostExit {
  code: number | undefined;
  signal: string | undefined;
  /** "0", "2", "SIGABRT (aborted)" */
  status: string;
  stderr: string;
}

type FrameOf<K extends Frame['kind']> = Extract<Frame, { kind: K }>;

export interface FilterHostOptions {
  target: string;
  /** Start the stages here instead of at 0 dB and no reduction (a restart continues where
   * the engine before it was). */
  continueFrom?: BusStages;
  env?: NodeJS.ProcessEnv;
  variant?: FilterHostVariant;
  /** How long to wait for HELLO and READY. */
  readyTimeoutMs?: number;
}

/** Unreadable frames kept for diagnosis: the most recent only (a daemon runs for weeks). */
const MAX_PROBLEMS = 32;

export class FilterHostProcess {
  readonly exited: Promise<FilterHostExit>;
  readonly problems: ReadProblem[] = [];
  hello?: FrameOf<'hello'>;
  ready?: FrameOf<'ready'>;
  lastMeter?: FrameOf<'meter'>;
  /** when lastMeter came (ms since the epoch) */
  lastMeterAt = 0;
  private readonly proc: ReturnType<typeof spawnPiped>;
  private readonly reader = new FrameReader();
  private readonly listeners = new Set<(f: Frame) => void>();
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private seq = 1;
  private stderr = '';
  private exit?: FilterHostExit;

  private constructor(opts: FilterHostOptions) {
    const argv = [filterHostPath(opts.variant), '--target', opts.target];
    const from = opts.continueFrom;
    if (from) {
      // the engine's ranges: a reading outside them (never expected) is clamped, not refused
      const db = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v)).toFixed(2);
      argv.push('--initial-gain-db', db(from.agcGainDb, -60, 30), '--initial-compressor-db', db(from.compressorReductionDb, 0, 60), '--initial-limiter-db', db(from.limiterReductionDb, 0, 60));
    }
    this.proc = spawnPiped(argv, { env: opts.env });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-8192);
    });
    // a filter-host that died leaves writes to its stdin failing with EPIPE: the exit says why
    this.proc.stdin.on('error', () => undefined);
    this.exited = this.proc.then((r) => {
      this.exit = { code: r.exitCode, signal: r.signal, status: describeExit(r.exitCode, r.signal), stderr: this.stderr.trim() };
      const gone = new HeadroomError('filter_host_failed', `the filter-host exited: ${this.exit.status}${this.exit.stderr ? `: ${this.exit.stderr}` : ''}`);
      for (const p of this.pending.values()) p.reject(gone);
      this.pending.clear();
      return this.exit;
    });
  }

  /** Starts a filter-host and resolves after its HELLO (right version) and READY. */
  static async start(opts: FilterHostOptions): Promise<FilterHostProcess> {
    const fh = new FilterHostProcess(opts);
    try {
      // HELLO and READY often arrive in one chunk, READY before a waitFor registered after
      // HELLO's promise settled could hear it: what has already come counts
      const hello = fh.hello ?? (await fh.waitFor((f): f is FrameOf<'hello'> => f.kind === 'hello', opts.readyTimeoutMs ?? 5000));
      if (hello.protocol !== WIRE_VERSION) {
        throw new HeadroomError('filter_host_failed', `the filter-host speaks protocol ${hello.protocol}, this supervisor ${WIRE_VERSION}`, {
          hint: 'Rebuild the native parts: npm run build:native',
          exitCode: 1,
        });
      }
      if (!fh.ready) await fh.waitFor((f) => f.kind === 'ready', opts.readyTimeoutMs ?? 5000);
      return fh;
    } catch (e) {
      fh.proc.kill('SIGKILL');
      await fh.exited;
      throw e;
    }
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Subscribe to every frame; returns the unsubscribe function. */
  on(listener: (f: Frame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first frame (from now on) that matches; rejects on timeout or exit. */
  waitFor<F extends Frame>(match: ((f: Frame) => f is F) | ((f: Frame) => boolean), timeoutMs = 5000): Promise<F> {
    return new Promise<F>((resolve, reject) => {
      const done = (err?: Error, f?: F) => {
        clearTimeout(timer);
        off();
        if (err) reject(err);
        else resolve(f as F);
      };
      const timer = setTimeout(() => done(new Error(`no matching filter-host frame within ${timeoutMs} ms`)), timeoutMs);
      const off = this.on((f) => {
        if (match(f)) done(undefined, f as F);
      });
      void this.exited.then((x) => done(new HeadroomError('filter_host_failed', `the filter-host exited (${x.status}) before the frame came: ${x.stderr}`)));
    });
  }

  /** Sends a command; resolves on its ACK, rejects with the ERROR frame's message, or
   * after timeoutMs without an answer (a wedged filter-host must not wedge the daemon). */
  send(command: Command, timeoutMs = 5000): Promise<void> {
    if (this.exit) return Promise.reject(new HeadroomError('filter_host_failed', `the filter-host has exited (${this.exit.status})`));
    const seq = this.seq++;
    const bytes = encodeCommand(command, seq);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new HeadroomError('filter_host_failed', `the filter-host did not answer ${command.kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (err?: Error) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      this.pending.set(seq, { resolve: () => done(), reject: done });
      this.proc.stdin.write(bytes);
    });
  }

  /** Raw bytes on stdin (tests: garbage must be survived). */
  writeRaw(bytes: Buffer): void {
    this.proc.stdin.write(bytes);
  }

  /** Closes stdin (the filter-host exits 0) and waits for the exit. */
  async close(): Promise<FilterHostExit> {
    this.proc.stdin.end();
    return this.exited;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.proc.kill(signal);
  }

  private onData(chunk: Buffer): void {
    for (const item of this.reader.push(chunk)) {
      if (item.kind === 'problem') {
        this.problems.push(item.problem);
        if (this.problems.length > MAX_PROBLEMS) this.problems.shift(); // the last ones tell enough
        continue;
      }
      const f = item.frame;
      if (f.kind === 'hello') this.hello = f;
      else if (f.kind === 'ready') this.ready = f;
      else if (f.kind === 'meter') {
        this.lastMeter = f;
        this.lastMeterAt = Date.now();
      }
      else if (f.kind === 'ack' || f.kind === 'error') this.settle(f);
      for (const l of this.listeners) l(f);
    }
  }

  private settle(f: FrameOf<'ack'> | FrameOf<'error'>): void {
    const p = this.pending.get(f.cmdSeq);
    if (!p) return;
    this.pending.delete(f.cmdSeq);
    if (f.kind === 'ack') p.resolve();
    else p.reject(new HeadroomError('filter_host_rejected', f.message));
  }
}
