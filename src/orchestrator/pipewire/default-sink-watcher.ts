// Follows the user's choice of output: one long-lived `pw-metadata --monitor` on the
// "default" metadata (pw-dump's monitor reports metadata late or never). The preferred
// sink is default.configured.audio.sink, else default.audio.sink, never the bus itself.
// Measured here (PipeWire 0.3.65 / WirePlumber 0.4.13): in about half of the sessions a
// long-lived client gets no metadata events at all (pw-dump neither) while a fresh client
// reads the change, so the metadata is also read afresh, and any difference counts as a
// change: soon after a program that is not headroom's own leaves PipeWire (wpctl, pactl
// and the like set the default and go), and besides every 2 s, backing off to every 8 s
// while neither reads nor the graph show anything new (a read is a process start: an
// idle headroom should cost next to nothing). (Binding the metadata afresh from the
// filter-host five times a second was tried: under load it left WirePlumber's metadata
// unanswered and routing stalled.)
import { defaultNodeName, parseMetadataLine } from '../../wire/pw-metadata-lines.js';
import type { GraphChange, GraphModel } from '../../graph/model.js';
import { run, spawnStream, startedByUs } from '../process/exec.js';

const KEYS = ['default.configured.audio.sink', 'default.audio.sink'] as const;
const RECHECK_MIN_MS = 2000;
const RECHECK_MAX_MS = 8000;
/** How soon after another program came or went the metadata is read. */
const FOREIGN_CLIENT_READ_MS = 50;
/** Reads never follow each other closer than this, however busy the graph. */
const READ_SPACING_MS = 250;

export class DefaultSinkWatcher {
  private readonly values = new Map<string, string>();
  private readonly proc: ReturnType<typeof spawnStream>;
  private timer?: NodeJS.Timeout;
  private dueAt = Infinity;
  private period = RECHECK_MIN_MS;
  private reading = false;
  private lastReadAt = 0;
  /** a nudge that came while a read was under way: that read may have been too early */
  private nudged?: number;
  /** serials of the PipeWire clients of programs headroom did not start */
  private readonly foreignClients = new Set<number>();
  private last: string | undefined;
  private stopping = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv | undefined,
    private readonly exclude: string,
    private readonly onChange: (name: string | undefined) => void,
    onLost: () => void,
    /** told when a fresh read found a change the monitor had not reported */
    private readonly onMissed: (name: string | undefined) => void = () => undefined,
  ) {
    this.proc = spawnStream(['pw-metadata', '--monitor', '--name', 'default'], { env });
    this.proc.stdout.setEncoding('utf8');
    let partial = '';
    this.proc.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.take(lines);
    });
    this.proc.stderr.resume(); // read and drop: a full pipe would stall it
    void this.proc.then(() => {
      if (!this.stopping) onLost();
    });
    this.schedule(RECHECK_MIN_MS);
  }

  /** The graph changed: a program not headroom's own that leaves gets the metadata read at
   * once (it may have set the default), any other change keeps the reads frequent. */
  onGraphChanges(changes: readonly GraphChange[], model: GraphModel): void {
    let graph = false;
    for (const c of changes) {
      if (c.object !== 'client') graph = true;
      else if (c.kind === 'added') {
        // a client that does not say its pid is not counted (it might be one of ours)
        const pid = Number(model.clients.get(c.id)?.props['application.process.id']);
        if (Number.isInteger(pid) && pid > 0 && !startedByUs(pid)) {
          this.foreignClients.add(c.serial);
          this.nudge(); // read at its leaving; a new app's start is no time for a process start
        }
      } else if (c.kind === 'removed' && this.foreignClients.delete(c.serial)) this.nudge(FOREIGN_CLIENT_READ_MS);
    }
    if (graph) this.nudge();
  }

  /** Something happened that may have come with a new default: read again within soonMs,
   * and go back to the shortest period. */
  nudge(soonMs = RECHECK_MIN_MS): void {
    this.period = RECHECK_MIN_MS;
    if (this.reading) this.nudged = Math.min(this.nudged ?? soonMs, soonMs);
    else if (Date.now() + soonMs < this.dueAt) this.schedule(soonMs);
  }

  /** The user's preferred output as last seen, or undefined before the first report. */
  preferred(): string | undefined {
    for (const key of KEYS) {
      const raw = this.values.get(key);
      const name = raw === undefined ? undefined : defaultNodeName(raw);
      if (name && name !== this.exclude) return name;
    }
    return undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.proc.kill('SIGTERM');
    await this.proc;
  }

  /** Takes metadata lines; true when the preferred output changed. */
  private take(lines: readonly string[], replace = false): boolean {
    if (replace) for (const k of KEYS) this.values.delete(k);
    for (const line of lines) {
      const c = parseMetadataLine(line);
      if (!c || c.subject !== 0) continue;
      if (c.kind === 'update') this.values.set(c.key, c.value);
      else if (c.key) this.values.delete(c.key);
      else this.values.clear();
    }
    const now = this.preferred();
    if (now === this.last) return false;
    this.last = now;
    this.onChange(now);
    return true;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    const wait = Math.max(ms, this.lastReadAt + READ_SPACING_MS - Date.now());
    this.dueAt = Date.now() + wait;
    this.timer = setTimeout(() => void this.readOnce(), wait);
  }

  private async readOnce(): Promise<void> {
    this.reading = true;
    this.dueAt = Infinity;
    this.lastReadAt = Date.now();
    const out = await run(['pw-metadata', '-n', 'default', '0'], { env: this.env, timeoutMs: 2000 }).catch(() => undefined);
    this.reading = false;
    if (this.stopping) return;
    const missed = out !== undefined && this.take(out.split('\n'), true);
    if (missed) this.onMissed(this.last);
    this.period = missed ? RECHECK_MIN_MS : Math.min(RECHECK_MAX_MS, this.period * 2);
    const nudged = this.nudged;
    this.nudged = undefined;
    this.schedule(nudged ?? this.period);
  }
}
