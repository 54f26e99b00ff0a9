import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the filter-host C files', () => {
  it('call each other in no circle: lower parts notify through hook lists (scripts/c-call-graph.mjs)', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/c-call-graph.mjs')], { encoding: 'utf8' });
    expect(r.stdout).toContain('no cycle');
    expect(r.status).toBe(0);
    // output.c is a leaf writer; tick.c owns the tick
    expect(r.stdout).not.toMatch(/^output\.c -> /m);
    expect(r.stdout).toMatch(/^tick\.c -> output\.c: .*hr_output_meter/m);
  });
});
