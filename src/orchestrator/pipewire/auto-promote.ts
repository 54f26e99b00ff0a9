// --auto-promote: headroom-processed becomes the configured default sink while headroom
// runs, so new apps start in the bus with no blip on the speakers; the user's previous
// choice comes back on stop (or, after a kill, from the journal).
import { parseMetadataLine } from '../../wire/pw-metadata-lines.js';
import { BUS_SINK } from '../../wire/node-names.js';

const KEY = 'default.configured.audio.sink';

/** The configured default before headroom touched it: its value and type, or null when unset. */
import type { PreviousDefault } from '../state/route-journal.js';

type Tool = (argv: readonly string[]) => Promise<string>;

export async function readConfiguredDefault(tool: Tool): Promise<PreviousDefault> {
  const out = await tool(['pw-metadata', '-n', 'default', '0', KEY]);
  for (const line of out.split('\n')) {
    const c = parseMetadataLine(line);
    if (c?.kind === 'update' && c.subject === 0 && c.key === KEY) return { value: c.value, type: c.type };
  }
  return null;
}

export async function promote(tool: Tool): Promise<void> {
  await tool(['pw-metadata', '-n', 'default', '0', KEY, JSON.stringify({ name: BUS_SINK }), 'Spa:String:JSON']);
}

/** Puts the user's choice back, but only if the default is still ours (they may have chosen since). */
export async function demote(tool: Tool, previous: PreviousDefault): Promise<boolean> {
  const now = await readConfiguredDefault(tool);
  if (now === null || !now.value.includes(`"${BUS_SINK}"`)) return false;
  if (previous) await tool(['pw-metadata', '-n', 'default', '0', KEY, previous.value, ...(previous.type ? [previous.type] : [])]);
  else await tool(['pw-metadata', '-n', 'default', '-d', '0', KEY]);
  return true;
}
