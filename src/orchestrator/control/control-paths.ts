// Where the control socket lives: $XDG_RUNTIME_DIR/headroom/control.sock (one per user).
import os from 'node:os';
import path from 'node:path';

export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_RUNTIME_DIR || path.join(os.tmpdir(), `headroom-${os.userInfo().uid}`);
  return path.join(base, 'headroom');
}

export function socketPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(runtimeDir(env), 'control.sock');
}
