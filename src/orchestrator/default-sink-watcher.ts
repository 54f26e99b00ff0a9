// Follows the user's choice of output: one long-lived `pw-metadata --monitor` on the
// "default" metadata (pw-dump's monitor reports metadata late or never). The preferred
// sink is default.configured.audio.sink, else default.audio.sink, never the bus itself.
// Measured here (PipeWire 0.3.65 / WirePlumber 0.4.13): in about half of the sessions a
// long-lived client gets no metadata events at all (pw-dump neither) while a fresh client
// reads the change, so the metadata is also read once every RECHECK_MS and any difference
// counts as a change. (Binding the metadata afresh from the filter-host five times a second
// was tried: under load it left WirePlumber's metadata unanswered and routing stalled.)
import { defaultNodeName, parseMetadataLine } from '../wire/pw-metadata-lines.js';
import { run, spawnStream } from './exec.js';

const KEYS = ['default.configured.audio.sink', 'default.audio.sink'] as const;
const RECHECK_MS = 2000;

export class DefaultSinkWatcher {
  private readonly values = new Map<string, string>();
  private readonly proc: ReturnType<typeof spawnStream>;
  private readonly recheck: NodeJS.Timeout;
  private last: string | undefined;
  private stopping = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv | undefined,
    private readonly exclude: string,
    private readonly onChange: (name: string | undefined) => void,
    onLost: () => void,
    /** told when the periodic read found a change the monitor had not reported */
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
    this.recheck = setInterval(() => void this.readOnce(), RECHECK_MS);
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
    clearInterval(this.recheck);
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

  private async readOnce(): Promise<void> {
    const out = await run(['pw-metadata', '-n', 'default', '0'], { env: this.env, timeoutMs: 2000 }).catch(() => undefined);
    if (out !== undefined && !this.stopping && this.take(out.split('\n'), true)) this.onMissed(this.last);
  }
}
