// The PipeWire and WirePlumber versions headroom is tested on (CI runs both stacks: Debian 12
// with PipeWire 0.3.65 / WirePlumber 0.4.13, Debian 13 with 1.4.2 / 0.5.8), and what doctor
// says about the running ones.
export const PIPEWIRE_OLDEST = '0.3.65';
export const PIPEWIRE_NEWEST = '1.4';
export const WIREPLUMBER_SERIES = ['0.4', '0.5'] as const;
export const SUPPORTED = `PipeWire ${PIPEWIRE_OLDEST} to ${PIPEWIRE_NEWEST}, WirePlumber ${WIREPLUMBER_SERIES.join(' and ')}`;

/** "1.4.2" → [1, 4, 2]; undefined for anything but dotted numbers. */
export function parseVersion(v: string): number[] | undefined {
  return /^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : undefined;
}

/** <0, 0 or >0 as a is older than, as old as, or newer than b (missing parts count as 0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why the running PipeWire is not one headroom is tested on, or undefined when it is (or unknown). */
export function pipewireVersionProblem(version: string | undefined): string | undefined {
  const v = version === undefined ? undefined : parseVersion(version);
  if (!v) return undefined;
  if (compareVersions(v, parseVersion(PIPEWIRE_OLDEST)!) < 0) return `older than ${PIPEWIRE_OLDEST}, the oldest headroom is tested on (${SUPPORTED})`;
  return undefined;
}

/** Why the running WirePlumber is not one headroom is tested on, or undefined when it is (or unknown). */
export function wireplumberVersionProblem(version: string | undefined): string | undefined {
  const v = version === undefined ? undefined : parseVersion(version);
  if (!v) return undefined;
  const series = `${v[0]}.${v[1] ?? 0}`;
  if ((WIREPLUMBER_SERIES as readonly string[]).includes(series)) return undefined;
  return `${compareVersions(v, [0, 4]) < 0 ? 'older than' : 'newer than'} the WirePlumber versions headroom is tested on (${SUPPORTED})`;
}
