// The numbers `analyze` and `render` report, from a meter's raw result. Pure.
import type { MeterResult } from '../native/dsp.js';
import type { WavInfo } from './wav.js';
import type { AnalyzeFields } from '../wire/command-outputs.js';

export const LOUDNESS_FLOOR_LUFS = -200;


const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;
const lufs = (x: number) => (x <= LOUDNESS_FLOOR_LUFS ? null : round(x));
const dbfs = (lin: number) => (lin > 0 ? round(20 * Math.log10(lin)) : null);

export function analyzeFields(path: string, info: Pick<WavInfo, 'sampleRate' | 'channels'>, frames: number, m: MeterResult): AnalyzeFields {
  return {
    path,
    sampleRate: info.sampleRate,
    channels: info.channels,
    durationSeconds: round(frames / info.sampleRate, 3),
    integratedLufs: lufs(m.integrated),
    loudnessRangeLu: m.loudnessRange === null ? null : round(m.loudnessRange),
    momentaryMaxLufs: lufs(m.momentaryMax),
    shortTermMaxLufs: lufs(m.shortTermMax),
    samplePeakDbfs: dbfs(m.samplePeak),
    truePeakDbtp: dbfs(m.truePeak),
  };
}

const show = (x: number | null, unit: string) => (x === null ? '—' : `${x.toFixed(1)} ${unit}`);

/** A readable table, one row per file. */
export function analyzeTable(rows: AnalyzeFields[]): string {
  const header = ['file', 'integrated', 'range', 'max M', 'max S', 'sample peak', 'true peak', 'length'];
  const body = rows.map((r) => [
    r.path,
    show(r.integratedLufs, 'LUFS'),
    show(r.loudnessRangeLu, 'LU'),
    show(r.momentaryMaxLufs, 'LUFS'),
    show(r.shortTermMaxLufs, 'LUFS'),
    show(r.samplePeakDbfs, 'dBFS'),
    show(r.truePeakDbtp, 'dBTP'),
    `${r.durationSeconds.toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
