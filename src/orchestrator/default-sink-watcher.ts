// Follows the user's choice of output: one long-lived `pw-metadata --monitor` on the
// "default" metadata (pw-dump's monitor reports metadata late or never). The preferred
// sink is default.configured.audio.sink, else default.audio.sink, never the bus itself.
import { defaultNodeName, parseMetadataLine } from '../wire/pw-metadata-lines.js';
import { spawnStream } from './exec.js';

const KEYS = ['default.configured.audio.sink', 'default.audio.sink'] as const;

export class DefaultSinkWatcher {
  private readonly values = new Map<string, string>();
  private readonly proc: ReturnType<typeof spawnStream>;
  private last: string | undefined;
  private stopping = false;

  constructor(
    env: NodeJS.ProcessEnv | undefined,
    private readonly exclude: string,
    onChange: (name: string | undefined) => void,
    onLost: () => void,
  ) {
    this.proc = spawnStream(['pw-metadata', '--monitor', '--name', 'default'], { env });
    this.proc.stdout.setEncoding('utf8');
    let partial = '';
    this.proc.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const c = parseMetadataLine(line);
        if (!c || c.subject !== 0) continue;
        if (c.kind === 'update') this.values.set(c.key, c.value);
        else if (c.key) this.values.delete(c.key);
        else this.values.clear();
      }
      const now = this.preferred();
      if (now !== this.last) {
        this.last = now;
        onChange(now);
      }
    });
    void this.proc.then(() => {
      if (!this.stopping) onLost();
    });
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
    this.proc.kill('SIGTERM');
    await this.proc;
  }
}
