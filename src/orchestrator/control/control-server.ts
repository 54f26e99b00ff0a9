// The daemon's control socket: $XDG_RUNTIME_DIR/headroom/control.sock, directory 0700,
// socket 0600. A stale socket (nobody answers) is replaced; a live one means another
// daemon runs, and start is refused naming its pid. Every client gets a hello, then one
// response per request line; bad input gets a typed error, an oversized line a close.
// `subscribe`/`unsubscribe` are served here (they belong to the connection): events go
// out through a bounded per-subscriber queue, so a slow client never slows the daemon.
import { chmod, mkdir, stat, unlink } from 'node:fs/promises';
import net from 'node:net';
import { HeadroomError } from '../../errors.js';
import { SubscriberQueue } from '../../policy/subscriber-queue.js';
import { badPattern, encodeLine, LineSplitter, parseRequest, topicMatches, TOPICS, type ControlErrorCode, type EventData, type Hello, type OpParams, type Request, type Topic } from '../../wire/control-protocol.js';
import { connect } from './control-client.js';
import { runtimeDir, socketPath } from './control-paths.js';

/** An error a handler throws to answer with a typed error instead of 'internal'. */
export class ControlError extends Error {
  constructor(readonly code: ControlErrorCode, message: string) {
    super(message);
  }
}

export type Handler = (request: Request) => Promise<unknown> | unknown;

interface Client {
  socket: net.Socket;
  patterns: Set<string>;
  queue: SubscriberQueue<string>;
}

export class ControlServer {
  private readonly clients = new Set<Client>();

  private constructor(private readonly server: net.Server, readonly path: string) {}

  static async listen(env: NodeJS.ProcessEnv, hello: () => Hello, handle: Handler): Promise<ControlServer> {
    const dir = runtimeDir(env);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const path = socketPath(env);
    if (await exists(path)) {
      try {
        const c = await connect(env, 1000);
        c.socket.destroy();
        throw new HeadroomError('already_running', `headroom is already running (pid ${c.hello.pid})`, { hint: 'Stop it first: headroom stop', exitCode: 1 });
      } catch (e) {
        if (e instanceof HeadroomError && e.code === 'already_running') throw e;
        await unlink(path); // stale: left by a killed daemon
      }
    }
    const server = net.createServer();
    const cs = new ControlServer(server, path);
    server.on('connection', (s) => cs.serve(s, hello, handle));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    await chmod(path, 0o600);
    return cs;
  }

  /** Sends an event to every client subscribed to its topic. */
  publish<T extends Topic>(topic: T, data: EventData<T> | (() => EventData<T>)): void {
    let line: string | undefined; // encoded once, and only when someone listens
    for (const c of this.clients) {
      if (!wants(c, topic)) continue;
      line ??= `${JSON.stringify({ type: 'event', topic, data: typeof data === 'function' ? data() : data })}\n`;
      c.queue.offer(topic, line);
      flush(c);
    }
  }

  /** Whether any client is subscribed to the topic. */
  listens(topic: Topic): boolean {
    return [...this.clients].some((c) => wants(c, topic));
  }

  /** How many clients are subscribed to anything. */
  get subscribers(): number {
    return [...this.clients].filter((c) => c.patterns.size > 0).length;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.socket.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    await unlink(this.path).catch(() => undefined);
  }

  private serve(socket: net.Socket, hello: () => Hello, handle: Handler): void {
    const client: Client = { socket, patterns: new Set(), queue: new SubscriberQueue() };
    this.clients.add(client);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // a client that vanished is not the daemon's problem
    socket.on('close', () => this.clients.delete(client));
    socket.on('drain', () => flush(client));
    const send = (line: string) => {
      if (!socket.destroyed) socket.write(line);
    };
    send(encodeLine(hello()));
    const splitter = new LineSplitter();
    let chain = Promise.resolve();
    socket.on('data', (chunk: string) => {
      const lines = splitter.push(chunk);
      if (lines === 'too-large') {
        send(encodeLine({ type: 'response', id: null, ok: false, error: { code: 'bad_request', message: 'line over 1 MiB; closing' } }));
        socket.end();
        socket.destroy();
        return;
      }
      for (const line of lines) {
        chain = chain.then(async () => {
          const p = parseRequest(line);
          if (!p.ok) return send(encodeLine({ type: 'response', id: p.id, ok: false, error: { code: p.code, message: p.message } }));
          try {
            const r = p.request;
            const result = r.op === 'subscribe' || r.op === 'unsubscribe' ? subscription(client, r.op, r.params) : await handle(r);
            send(encodeLine({ type: 'response', id: p.request.id, ok: true, result: result ?? null }));
          } catch (e) {
            const code: ControlErrorCode = e instanceof ControlError ? e.code : 'internal';
            send(encodeLine({ type: 'response', id: p.request.id, ok: false, error: { code, message: (e as Error).message } }));
          }
        });
      }
    });
  }
}

const wants = (c: Client, topic: Topic) => [...c.patterns].some((p) => topicMatches(p, topic));

/** subscribe/unsubscribe {topics: [...]}: patterns are whole topics, groups or "*". */
function subscription(c: Client, op: 'subscribe' | 'unsubscribe', params: OpParams<'subscribe'>): { topics: string[] } {
  const topics = params.topics ?? ['*'];
  const bad = badPattern(topics);
  if (bad !== undefined) throw new ControlError('bad_params', `unknown topic ${JSON.stringify(bad)}; topics: ${TOPICS.join(', ')} (or a group such as "meters", or "*")`);
  if (op === 'subscribe') for (const t of topics) c.patterns.add(t);
  else if (params.topics === undefined) c.patterns.clear();
  else for (const t of topics) c.patterns.delete(t);
  return { topics: [...c.patterns] };
}

/** Hands queued events to the socket while it takes them; the overflow report goes first. */
function flush(c: Client): void {
  while (c.queue.length > 0 && !c.socket.destroyed && !c.socket.writableNeedDrain) {
    const next = c.queue.take();
    if (!next) return;
    if (next.overflow) c.socket.write(encodeLine({ type: 'event', topic: 'daemon/overflow', data: next.overflow }));
    c.socket.write(next.item);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
