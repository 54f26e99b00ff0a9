#!/usr/bin/env node
// Writes man/headroom.1 from the same help the CLI prints (oclif.manifest.json, made by the
// build): every command with its arguments, flags and examples, then the exit codes and the
// files. `npm install -g` installs it (package.json "man"); CI fails when it is stale.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(root, 'oclif.manifest.json'), 'utf8'));

/** roff-safe text: backslashes and leading dots or quotes escaped, dashes as minus signs. */
const esc = (t) => String(t ?? '').replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
const bin = 'headroom';
const cmds = Object.values(manifest.commands).filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id));

const out = [
  `.TH HEADROOM 1 "" "headroom ${pkg.version}" "User Commands"`,
  '.SH NAME',
  `headroom \\- ${esc(pkg.description)}`,
  '.SH SYNOPSIS',
  '.B headroom',
  '.I COMMAND',
  '[\\fIARGS\\fR] [\\fB\\-\\-json\\fR] [\\fB\\-h\\fR]',
  '.SH DESCRIPTION',
  esc('Every app\'s sound reaches the speakers at one comfortable loudness: headroom routes the apps\' streams through a bus it creates, where a real-time engine levels, compresses and limits the mix, and turns a too-loud app down on its own. Nothing of the audio setup is harmed when it stops or crashes. Every command that reports data takes --json.'),
  '.SH COMMANDS',
];
for (const c of cmds) {
  const args = Object.values(c.args ?? {}).map((a) => (a.required ? `\\fI${a.name.toUpperCase()}\\fR` : `[\\fI${a.name.toUpperCase()}\\fR]`));
  out.push('.TP', `\\fB${bin} ${c.id.replaceAll(':', ' ')}\\fR ${args.join(' ')}`, esc(c.summary ?? c.description ?? ''));
  for (const a of Object.values(c.args ?? {})) out.push('.RS', `.IP \\fI${a.name.toUpperCase()}\\fR`, esc(`${a.options ? `(${a.options.join('|')}) ` : ''}${a.description ?? ''}`), '.RE');
  for (const f of Object.values(c.flags ?? {})) {
    if (f.name === 'json' || f.hidden) continue;
    const name = `${f.char ? `\\fB\\-${f.char}\\fR, ` : ''}\\fB\\-\\-${esc(f.name)}\\fR${f.type === 'option' ? ` \\fI${(f.options ? f.options.join('|') : 'VALUE')}\\fR` : ''}`;
    out.push('.RS', `.IP "${name}"`, esc(f.description ?? ''), '.RE');
  }
  for (const e of c.examples ?? []) out.push('.RS', '.nf', esc(String(e).replace('<%= config.bin %>', bin)), '.fi', '.RE');
}
out.push(
  '.SH EXIT STATUS',
  '.TP', '0', 'done; for status: the daemon runs and sound can flow',
  '.TP', '1', esc('a failure (a tool failed, PipeWire refused); doctor: something is broken'),
  '.TP', '2', esc('a usage error or a bad value (unknown command, key or name; out of range; missing file)'),
  '.TP', '3', 'no daemon runs',
  '.TP', '4', 'status only: the daemon runs but sound cannot flow',
  '.SH FILES',
  '.TP', esc('$XDG_CONFIG_HOME/headroom/profiles/NAME.toml'), 'your profiles',
  '.TP', esc('$XDG_STATE_HOME/headroom/settings.json, routes.json'), esc('your settings (set, profile use) and route rules'),
  '.TP', esc('$XDG_RUNTIME_DIR/headroom/control.sock, journal.json'), esc('the running daemon\'s socket, and what it changed (a killed one\'s is undone by the next start or stop --restore)'),
  '.SH SEE ALSO',
  esc('pipewire(1), wireplumber(1), pw-dump(1); the README and docs/ of the package; docs/schema/control.json for every --json shape.'),
);
mkdirSync(path.join(root, 'man'), { recursive: true });
writeFileSync(path.join(root, 'man', 'headroom.1'), `${out.join('\n')}\n`);
