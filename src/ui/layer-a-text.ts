// How Layer A's gain and its reason read for a person (status, monitor). Pure, no ink.
import type { LayerAReason } from '../policy/layer-a.js';

/** A gain with its sign: "+8.5 dB", "-12.0 dB", "0.0 dB". */
export function signedDb(db: number, unit = ' dB'): string {
  const r = Math.round(db * 10) / 10;
  return `${r > 0 ? '+' : r < 0 ? '-' : ''}${Math.abs(r).toFixed(1)}${unit}`;
}

/** Why the app has that gain, in words. */
export function reasonText(reason: LayerAReason, gainDb: number): string {
  switch (reason) {
    case 'level': return gainDb >= 0.05 ? 'lifted' : gainDb <= -0.05 ? 'cut' : 'at target';
    case 'cap': return 'at the cap';
    case 'onset': return 'loud start';
    case 'quiet': return 'held, quiet';
    case 'remembered': return 'remembered';
    case 'new': return 'listening';
  }
}
