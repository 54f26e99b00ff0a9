// The man page says what the help says: every command, its arguments and flags.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const man = readFileSync(path.join(ROOT, 'man', 'headroom.1'), 'utf8').replace(/\\-/g, '-');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { id: string; args?: Record<string, { name: string }>; flags?: Record<string, { name: string; hidden?: boolean }> }>;
};

describe('man/headroom.1', () => {
  it('names every command, argument and flag of the help, and the exit codes', () => {
    for (const c of Object.values(manifest.commands)) {
      expect(man, c.id).toContain(`\\fBheadroom ${c.id.replaceAll(':', ' ')}\\fR`);
      for (const a of Object.values(c.args ?? {})) expect(man, `${c.id} ${a.name}`).toContain(`\\fI${a.name.toUpperCase()}\\fR`);
      for (const f of Object.values(c.flags ?? {})) if (f.name !== 'json' && !f.hidden) expect(man, `${c.id} --${f.name}`).toContain(`\\fB--${f.name}\\fR`);
    }
    expect(man).toMatch(/\.SH EXIT STATUS[\s\S]*\.TP\n4\nstatus only/);
  });
});
