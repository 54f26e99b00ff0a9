// A home of its own for each test: runtime, config and state dirs in a fresh temp dir (so
// nothing of the user's is read or written), removed after the test.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export interface TempHome {
  dir: string;
  env: NodeJS.ProcessEnv;
}

export function useTempHome(prefix: string): TempHome {
  const home = {} as TempHome;
  beforeEach(async () => {
    home.dir = await mkdtemp(path.join(os.tmpdir(), `headroom-${prefix}-`));
    home.env = { XDG_RUNTIME_DIR: path.join(home.dir, 'run'), XDG_CONFIG_HOME: path.join(home.dir, 'config'), XDG_STATE_HOME: path.join(home.dir, 'state'), HOME: home.dir };
  });
  afterEach(async () => {
    await rm(home.dir, { recursive: true, force: true });
  });
  return home;
}
