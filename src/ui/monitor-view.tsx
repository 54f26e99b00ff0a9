// The monitor screen: title (profile, version, uptime), bus gauges, loudness with a 60 s
// sparkline, the streams table, and a footer with the topics and a banner. A pure
// function of the state, the clock and the terminal size.
import { Box, Text } from 'ink';
import { KEYS } from './monitor-actions.js';
import { reasonText, signedDb } from './layer-a-text.js';
import { isStale, rowLabels, selectedRow, type MonitorState, type StreamRow } from './monitor-state.js';

const SPARK = '▁▂▃▄▅▆▇█';

export interface ViewProps {
  state: MonitorState;
  now: number;
  width: number;
  height: number;
  color: boolean;
}

export const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || v <= -199 ? '—' : v.toFixed(digits));

/** The daemon's age to the second in its first minute, then to the minute (as `uptime` and
 * `systemctl status` say it): an idle screen changes once a minute, not every second. */
export function uptime(seconds: number): string {
  const d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  if (d > 0) return `${d}d ${h}h`;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`;
}

/** The line under the table: what is wrong, else the latest error, overflow or notice for a while. */
function bannerText(s: MonitorState, now: number): string {
  if (!s.connected) return 'disconnected — waiting for the daemon to come back';
  if (s.health.state !== 'ok') return s.health.reasons.map((r) => `SOUND CANNOT FLOW: ${r.message} → ${r.hint}`).join(' · ');
  if (s.profileError) return s.profileError;
  if (s.error && now - s.error.at < 10_000) return `error: ${s.error.message}`;
  if (s.overflow && now - s.overflow.at < 10_000) return `overflow: ${s.overflow.dropped} event(s) dropped (this monitor was slow)`;
  if (s.notice && now - s.notice.at < 5000) return s.notice.text;
  return '';
}

/** Everything on the screen that the clock alone changes: the monitor draws again when it
 * differs from the last drawn one (or when an event changed the state). */
export function clockShows(s: MonitorState, now: number): string {
  return `${uptime(Math.max(0, (now - s.startedAt) / 1000))}|${isStale(s, now)}|${bannerText(s, now)}`;
}

/** A bar of `width` cells for value in [min, max], with an optional mark (│) at `mark`. */
export function bar(value: number, min: number, max: number, width: number, mark?: number): string {
  const cell = (v: number) => Math.round(((Math.min(max, Math.max(min, v)) - min) / (max - min)) * (width - 1));
  const filled = cell(value);
  const m = mark === undefined ? -1 : cell(mark);
  let out = '';
  for (let i = 0; i < width; i++) out += i === m ? '│' : i <= filled ? '█' : '·';
  return out;
}

/** The last `width` points of history as a sparkline over [lo, hi] LUFS; gaps as spaces. */
export function sparkline(history: readonly (number | null)[], width: number, lo: number, hi: number): string {
  const step = Math.max(1, Math.ceil(history.length / width));
  let out = '';
  for (let i = 0; i < history.length; i += step) {
    const vals = history.slice(i, i + step).filter((v): v is number => v !== null && v > -199);
    if (vals.length === 0) out += ' ';
    else out += SPARK[Math.round(((Math.min(hi, Math.max(lo, Math.max(...vals))) - lo) / (hi - lo)) * (SPARK.length - 1))];
  }
  return out.slice(-width);
}

/** The peak gauge's colour: red over the ceiling, yellow within 6 dB of it, else green. */
export function peakColour(truePeakDbtp: number | null, ceilingDbtp: number): 'red' | 'yellow' | 'green' {
  if (truePeakDbtp !== null && truePeakDbtp > ceilingDbtp) return 'red';
  return truePeakDbtp !== null && truePeakDbtp > ceilingDbtp - 6 ? 'yellow' : 'green';
}

/** Layer A's reduction as a gain: "-14.2 dB", "0.0 dB", or "—" without a tap. */
/** Layer A's column: the gain and, where there is room, why. */
const layerA = (r: StreamRow, why: boolean) => (r.gainDb === null || r.reason === null ? '—' : why ? `${signedDb(r.gainDb)} ${reasonText(r.reason, r.gainDb)}` : signedDb(r.gainDb, ''));

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text);

/** The keys, and the topics watched where there is room for them. */
function footer(topics: readonly string[], width: number): string {
  if (width < 60) return 'm move · b bypass · p profile · ? help · q quit';
  const keys = '↑↓ select · m move processed⇄direct · b bypass · p profile · ? help · q quit';
  const full = `${keys} · topics: ${topics.join(' ')}`;
  return [...full].length <= width ? full : keys;
}

export function MonitorView({ state: s, now, width, height, color }: ViewProps) {
  const stale = isStale(s, now);
  const t = s.tick;
  const c = (name: string) => (color ? name : undefined);
  const working = (reductionDb: number) => (reductionDb >= 0.1 ? c('yellow') : undefined);
  const dim = stale || !color ? undefined : 'white';
  const up = Math.max(0, (now - s.startedAt) / 1000);
  // a bigger terminal gets longer gauges, a wider app column and more rows
  const barW = Math.max(8, Math.min(60, width - 40));
  const narrow = width < 60;
  const title = clip(`headroom ${s.version} · profile ${s.profile} · up ${uptime(up)}`, width);
  const rows = [...s.streams.values()];
  const labels = rowLabels(rows);
  const chosen = selectedRow(s)?.serial;
  const banner = bannerText(s, now);
  const unhealthy = s.connected && s.health.state !== 'ok';
  // title, 4 gauges (or 1 line), loudness, sparkline, table head, rules, footer, banner
  const fixedLines = 1 + (t && !stale ? 4 : 1) + 1 + (narrow ? 0 : 1) + 1 + (s.rules.length > 0 ? 1 : 0) + 1 + (banner !== '' ? 1 : 0);
  const room = Math.max(1, height - fixedLines);
  const shown = rows.length > room ? rows.slice(0, room - 1) : rows;
  const appW = Math.max(6, Math.min(48, width - (narrow ? 22 : 55)));
  const v = (x: number | null | undefined) => (stale ? '—' : fmt(x));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={c('cyan')}>{title}</Text>
      {t && !stale ? (
        <Box flexDirection="column">
          <Text color={c('cyan')}>{`AGC  ${bar(t.agc.gainDb, t.agc.minGainDb, t.agc.maxGainDb, barW, 0)} ${fmt(t.agc.gainDb)} dB${narrow ? '' : ` → ${fmt(t.agc.targetLufs)} LUFS`}${t.bypass ? '  BYPASS' : ''}`}</Text>
          <Text color={working(t.compressorReductionDb)}>{`Comp ${bar(t.compressorReductionDb, 0, 20, barW)} ${fmt(t.compressorReductionDb)} dB`}</Text>
          <Text color={working(t.limiterReductionDb)}>{`Lim  ${bar(t.limiterReductionDb, 0, 20, barW)} ${fmt(t.limiterReductionDb)} dB`}</Text>
          <Text color={c(peakColour(t.truePeakDbtp, t.ceilingDbtp))}>{`Peak ${bar(t.truePeakDbtp ?? -60, -60, 0, barW, t.ceilingDbtp)} ${fmt(t.truePeakDbtp)} dBTP${narrow ? '' : ` (ceiling ${fmt(t.ceilingDbtp)})`}`}</Text>
        </Box>
      ) : (
        <Text color={c('gray')}>{'bus: no meter readings' + (s.connected ? ' (nothing playing, or the engine is restarting)' : '')}</Text>
      )}
      <Text color={stale ? c('gray') : dim}>{`M ${v(t?.momentaryLufs)}  S ${v(t?.shortTermLufs)}  I ${v(t?.integratedLufs)} LUFS`}</Text>
      {!narrow && <Text color={c('green')}>{`S 60s ${sparkline(s.history, Math.max(10, width - 8), (t?.agc.targetLufs ?? -18) - 30, (t?.agc.targetLufs ?? -18) + 10)}`}</Text>}
      {s.help ? (
        <Box flexDirection="column">
          <Text bold>keys</Text>
          {KEYS.map(([k, what]) => (
            <Text key={k}>{clip(`${k.padEnd(6)} ${what}`, width)}</Text>
          ))}
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text bold>{narrow ? clip(`  ${'app'.padEnd(appW)} route  LA dB`, width) : `  ${'app'.padEnd(appW)} ${'route'.padEnd(9)} ${'why'.padEnd(8)} ${'LUFS'.padStart(6)} Layer A`}</Text>
          {shown.length === 0 && <Text color={c('gray')}>no app streams</Text>}
          {shown.map((r) => {
            const name = clip(labels.get(r.serial) ?? r.app, appW).padEnd(appW);
            const mark = r.serial === chosen ? '›' : ' ';
            return (
              <Text key={r.serial} inverse={color && r.serial === chosen}>
                {narrow
                  ? clip(`${mark} ${name} ${r.route.slice(0, 4).padEnd(6)} ${layerA(r, false)}`, width)
                  : clip(`${mark} ${name} ${r.route.padEnd(9)} ${r.rule.padEnd(8)} ${(stale ? '—' : fmt(r.loudnessLufs)).padStart(6)} ${layerA(r, true)}`, width)}
              </Text>
            );
          })}
          {rows.length > shown.length && <Text color={c('gray')}>{`… ${rows.length - shown.length} more`}</Text>}
        </Box>
      )}
      {s.rules.length > 0 && <Text color={c('gray')}>{clip(`your rules: ${s.rules.map((r) => `${r.app} → ${r.route}`).join(', ')}`, width)}</Text>}
      <Text color={c('gray')}>{clip(footer(s.topics, width), width)}</Text>
      {banner !== '' && <Text color={c(s.connected && !unhealthy ? 'yellow' : 'red')} inverse={color}>{unhealthy ? banner : clip(banner, width)}</Text>}
    </Box>
  );
}
