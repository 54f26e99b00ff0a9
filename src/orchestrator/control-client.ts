// One request to the running daemon over its control socket: connect, read its hello,
// send, wait for the matching response.
import net from 'node:net';
import { EXIT_NOT_RUNNING, HeadroomError } from '../errors.js';
import { encodeLine, LineSplitter, type Hello, type Op, type Response } from '../wire/control-protocol.js';
import { socketPath } from './control-paths.js';

export interface Connection {
  hello: Hello;
  socket: net.Socket;
  lines: AsyncGenerator<unknown>;
}

const NOT_RUNNING = () =>
  new HeadroomError('not_running', 'headroom is not running', { hint: 'Start it with: headroom start (or: systemctl --user start headroom)', exitCode: EXIT_NOT_RUNNING });

/** Connects and reads the hello; a missing or stale socket means "not running". */
export async function connect(env: NodeJS.ProcessEnv = process.env, timeoutMs = 2000): Promise<Connection> {
  const socket = net.createConnection(socketPath(env));
  socket.setEncoding('utf8');
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  let ended: Error | undefined;
  const splitter = new LineSplitter();
  socket.on('data', (chunk: string) => {
    const lines = splitter.push(chunk);
    if (lines === 'too-large') return socket.destroy(new Error('the daemon sent an oversized line'));
    for (const l of lines) queue.push(JSON.parse(l) as unknown);
    wake?.();
  });
  socket.on('close', () => {
    ended ??= new Error('the daemon closed the connection');
    wake?.();
  });
  socket.on('error', (e: NodeJS.ErrnoException) => {
    ended = e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? NOT_RUNNING() : e;
    wake?.();
  });
  async function* lines(): AsyncGenerator<unknown> {
    for (;;) {
      while (queue.length > 0) yield queue.shift();
      if (ended) throw ended;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  }
  const it = lines();
  const timer = setTimeout(() => socket.destroy(new Error(`no hello from the daemon within ${timeoutMs} ms`)), timeoutMs);
  try {
    const first = await it.next();
    const hello = first.value as Hello;
    if (hello?.type !== 'hello') throw new HeadroomError('daemon_error', 'the daemon did not say hello');
    return { hello, socket, lines: it };
  } finally {
    clearTimeout(timer);
  }
}

/** Sends one request and returns its result; a typed daemon error becomes a HeadroomError. */
export async function request(op: Op, params: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const c = await connect(env);
  try {
    c.socket.write(encodeLine({ id: 1, op, params }));
    for await (const msg of c.lines) {
      const r = msg as Response;
      if (r?.type !== 'response' || r.id !== 1) continue;
      if (r.ok) return r.result;
      throw new HeadroomError('daemon_error', r.error.message, { exitCode: 1 });
    }
    throw new HeadroomError('daemon_error', 'the daemon closed the connection without answering');
  } finally {
    c.socket.destroy();
  }
}
