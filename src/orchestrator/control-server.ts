// The daemon's control socket: $XDG_RUNTIME_DIR/headroom/control.sock, directory 0700,
// socket 0600. A stale socket (nobody answers) is replaced; a live one means another
// daemon runs, and start is refused naming its pid. Every client gets a hello, then one
// response per request line; bad input gets a typed error, an oversized line a close.
import { chmod, mkdir, stat, unlink } from 'node:fs/promises';
import net from 'node:net';
import { HeadroomError } from '../errors.js';
import { encodeLine, LineSplitter, parseRequest, type ControlErrorCode, type Hello, type Request } from '../wire/control-protocol.js';
import { connect } from './control-client.js';
import { runtimeDir, socketPath } from './control-paths.js';

/** An error a handler throws to answer with a typed error instead of 'internal'. */
export class ControlError extends Error {
  constructor(readonly code: ControlErrorCode, message: string) {
    super(message);
  }
}

export type Handler = (request: Request) => Promise<unknown> | unknown;

export class ControlServer {
  private readonly clients = new Set<net.Socket>();

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

  async close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    await unlink(this.path).catch(() => undefined);
  }

  private serve(socket: net.Socket, hello: () => Hello, handle: Handler): void {
    this.clients.add(socket);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // a client that vanished is not the daemon's problem
    socket.on('close', () => this.clients.delete(socket));
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
            const result = await handle(p.request);
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

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
