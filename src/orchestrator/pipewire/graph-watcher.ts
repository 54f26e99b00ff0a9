// One long-lived `pw-dump --monitor`: the graph model kept current, change notifications,
// and "connection lost" when it exits for any reason (it exits 0 when PipeWire dies).
import { GraphModel, type GraphChange } from '../../graph/model.js';
import { PwDumpStream } from '../../wire/pw-dump-stream.js';
import { describeExit, spawnStream } from '../process/exec.js';

export type WatcherEvent =
  | { kind: 'changes'; changes: GraphChange[] }
  | { kind: 'problem'; reason: string }
  | { kind: 'lost'; status: string; stderr: string };

export class GraphWatcher {
  readonly model = new GraphModel();
  /** Resolves once the first full graph has been read; rejects if the monitor dies first. */
  readonly ready: Promise<void>;
  private readonly proc: ReturnType<typeof spawnStream>;
  private readonly listeners = new Set<(e: WatcherEvent) => void>();
  private stopping = false;

  constructor(env?: NodeJS.ProcessEnv) {
    const parser = new PwDumpStream();
    let stderr = '';
    let markReady: () => void = () => undefined;
    let failReady: (e: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.proc = spawnStream(['pw-dump', '--monitor', '--no-colors'], { env });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => {
      for (const item of parser.push(chunk)) {
        if (item.kind === 'problem') {
          this.emit({ kind: 'problem', reason: item.reason });
          continue;
        }
        const changes = this.model.apply(item.objects);
        markReady();
        if (changes.length > 0) this.emit({ kind: 'changes', changes });
      }
    });
    this.proc.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4096)));
    void this.proc.then((r) => {
      const status = describeExit(r.exitCode, r.signal);
      failReady(new Error(`pw-dump --monitor exited (${status}) before the graph was read: ${stderr.trim()}`));
      if (!this.stopping) this.emit({ kind: 'lost', status, stderr: stderr.trim() });
    });
  }

  on(listener: (e: WatcherEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.proc.kill('SIGTERM');
    await this.proc;
  }

  private emit(e: WatcherEvent): void {
    for (const l of this.listeners) l(e);
  }
}
