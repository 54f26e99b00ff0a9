// One request to the running daemon over its control socket: connect, read its hello,
// send, wait for the matching response.
import net from 'node:net';
import { EXIT_NOT_RUNNING, EXIT_USAGE, HeadroomError } from '../../errors.js';
import { checkEvent, checkResult, encodeLine, LineSplitter, type EventMessage, type Hello, type Op, type OpParams, type OpResult, type Response } from '../../wire/control-protocol.js';
import { socketPath } from './control-paths.js';

export interface Connection {
  hello: Hello;
  socket: net.Socket;
  lines: AsyncGenerator<unknown>;
}

const NOT_RUNNING = () =>
  new HeadroomError('not_running', 'the daemon is not running', { hint: 'Start it with: headroom start (or: systemctl --user start headroom)', exitCode: EXIT_NOT_RUNNING });

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

/** An op's params; optional when it takes none it must have. */
type ParamsArg<O extends Op> = object extends OpParams<O> ? [params?: OpParams<O>] : [params: OpParams<O>];
type RequestArgs<O extends Op> = object extends OpParams<O> ? [params?: OpParams<O>, env?: NodeJS.ProcessEnv] : [params: OpParams<O>, env?: NodeJS.ProcessEnv];

/** A connection to the daemon: requests matched to their responses by id, events as they come. */
export interface Subscription {
  hello: Hello;
  /** a request on this connection, its answer checked; a typed daemon error becomes a HeadroomError */
  call<O extends Op>(op: O, ...params: ParamsArg<O>): Promise<OpResult<O>>;
  events: AsyncGenerator<EventMessage>;
  close(): void;
}

const OTHER_VERSION = 'Restart headroom so that the daemon and this command are the same version: headroom stop, then headroom start';

/** A response to its waiting call: the result checked against the op's schema. */
function settle(w: { op: Op; resolve: (v: unknown) => void; reject: (e: Error) => void }, m: Response): void {
  if (!m.ok) {
    // what the user can fix (a bad value, an unknown key or name) exits 2 like any usage error
    const code = m.error.code;
    if (code === 'bad_params' || code === 'not_found') return w.reject(new HeadroomError(code, m.error.message, { exitCode: EXIT_USAGE }));
    return w.reject(new HeadroomError('daemon_error', m.error.message, { exitCode: 1 }));
  }
  try {
    w.resolve(checkResult(w.op, m.result));
  } catch (e) {
    w.reject(new HeadroomError('daemon_error', (e as Error).message, { hint: OTHER_VERSION }));
  }
}

async function open(env: NodeJS.ProcessEnv): Promise<Subscription> {
  const c = await connect(env);
  let nextId = 1;
  const waiting = new Map<number, { op: Op; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const backlog: EventMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  void (async () => {
    try {
      for await (const msg of c.lines) {
        const event = checkEvent(msg);
        const m = msg as Response | undefined;
        if (event) {
          backlog.push(event);
          wake?.();
        } else if (m?.type === 'response' && typeof m.id === 'number') {
          const w = waiting.get(m.id);
          waiting.delete(m.id);
          if (w) settle(w, m);
        }
      }
    } catch (e) {
      failure = e as Error;
    }
    failure ??= new HeadroomError('daemon_error', 'the daemon closed the connection without answering', { exitCode: 1 });
    for (const w of waiting.values()) w.reject(failure);
    wake?.();
  })();
  const call = <O extends Op>(op: O, ...[params]: ParamsArg<O>) =>
    new Promise<OpResult<O>>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      waiting.set(id, { op, resolve: (v) => resolve(v as OpResult<O>), reject });
      c.socket.write(encodeLine({ id, op, params: params ?? {} }));
    });
  async function* events(): AsyncGenerator<EventMessage> {
    for (;;) {
      while (backlog.length > 0) yield backlog.shift() as EventMessage;
      if (failure) throw failure;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  }
  return { hello: c.hello, call, events: events(), close: () => c.socket.destroy() };
}

/** Sends one request and returns its result; a typed daemon error becomes a HeadroomError. */
export async function request<O extends Op>(op: O, ...[params, env = process.env]: RequestArgs<O>): Promise<OpResult<O>> {
  const c = await open(env);
  try {
    return await c.call(op, ...([params] as ParamsArg<O>));
  } finally {
    c.close();
  }
}

/** The daemon's answer, or — when no daemon runs — what `offline` makes of the files alone
 * (`live` tells which). */
export async function requestOrOffline<O extends Op>(op: O, params: OpParams<O>, offline: () => Promise<OpResult<O>>, env: NodeJS.ProcessEnv = process.env): Promise<{ result: OpResult<O>; live: boolean }> {
  try {
    return { result: await request(op, params, env), live: true };
  } catch (e) {
    if (e instanceof HeadroomError && e.code === 'not_running') return { result: await offline(), live: false };
    throw e;
  }
}

/** Connects, subscribes to topics (patterns: "meters/tick", "meters", "*") and streams the events. */
export async function subscribe(topics: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Subscription> {
  const c = await open(env);
  try {
    await c.call('subscribe', { topics: [...topics] });
  } catch (e) {
    c.close();
    throw e;
  }
  return c;
}
