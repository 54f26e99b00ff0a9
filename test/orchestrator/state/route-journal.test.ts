import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalPath, readJournal, removeJournal, writeJournal, type Journal } from '../../../src/orchestrator/state/route-journal.js';

let env: NodeJS.ProcessEnv;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-journal-'));
  env = { XDG_RUNTIME_DIR: dir };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the route journal', () => {
  it('reads back what was written: targets, volumes, the default given back later', async () => {
    const j: Journal = { pid: 42, startedAt: 1, targets: [{ nodeId: 40, serial: 400, app: 'firefox' }], volumes: [{ nodeId: 40, serial: 400, app: 'firefox', volume: 0.5 }], promotedFrom: { value: '{"name":"speakers"}', type: 'Spa:String:JSON' } };
    writeJournal(j, env);
    expect(journalPath(env)).toBe(path.join(dir, 'headroom', 'journal.json'));
    expect(await readJournal(env)).toEqual(j);
    await removeJournal(env);
    expect(await readJournal(env)).toBeUndefined();
  });

  it('a damaged journal loses nothing it can still trust: bad entries are dropped, garbage is no journal', async () => {
    writeJournal({ pid: 7, startedAt: 1, targets: [], volumes: [] }, env);
    await writeFile(journalPath(env), JSON.stringify({ pid: 7, startedAt: 1, targets: [{ nodeId: 1, serial: 2, app: 'a' }, { nodeId: 'x', serial: 3 }], volumes: [{ nodeId: 1, serial: 2, app: 'a', volume: 0.3 }, { nodeId: 1, serial: 2, volume: 99 }, { nodeId: 1, serial: 2, volume: -1 }] }));
    expect(await readJournal(env)).toMatchObject({ pid: 7, targets: [{ nodeId: 1, serial: 2 }], volumes: [{ volume: 0.3 }] });
    await writeFile(journalPath(env), '{"pid": "nope"');
    expect(await readJournal(env)).toBeUndefined();
    await writeFile(journalPath(env), JSON.stringify({ pid: 'x', targets: [] }));
    expect(await readJournal(env)).toBeUndefined();
  });
});
