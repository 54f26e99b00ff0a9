// `headroom status` for people: the daemon's answer in a few lines.
import { STALE_SECONDS } from '../orchestrator/daemon/daemon-status.js';
import { reasonText, signedDb } from '../ui/layer-a-text.js';
import type { DaemonStatus } from '../wire/control-protocol.js';

const lufs = (v: number | null | undefined, unit = 'LUFS') => (v === null || v === undefined ? '—' : `${v.toFixed(1)} ${unit}`);

export function statusText(s: DaemonStatus): string {
  const lines = [
    `headroom ${s.daemon.version} (pid ${s.daemon.pid}), up ${s.daemon.uptimeSeconds} s, profile ${s.daemon.profile}${s.daemon.bypass ? ', BYPASS' : ''}`,
    `bus ${s.sinks.processed ?? '(missing)'} -> ${s.sinks.preferred ?? '(no output)'}; filter-host ${s.filterHost.state}, ${s.filterHost.restarts} restart(s)`,
  ];
  if (s.health.state === 'ok') lines.push('health: ok, sound can flow');
  else for (const r of s.health.reasons) lines.push(`SOUND CANNOT FLOW: ${r.message}`, `  → ${r.hint}`);
  if (s.meters)
    lines.push(
      `output: M ${lufs(s.meters.momentaryLufs)}, S ${lufs(s.meters.shortTermLufs)}, I ${lufs(s.meters.integratedLufs)}, peak ${lufs(s.meters.truePeakDbtp, 'dBTP')}; AGC ${s.meters.agcGainDb.toFixed(1)} dB` +
        (s.meters.ageSeconds > STALE_SECONDS ? ` (no reading for ${s.meters.ageSeconds.toFixed(0)} s)` : s.meters.active ? '' : ' (the bus is idle: nothing plays into it)'),
    );
  for (const st of s.streams) lines.push(`  ${st.app} (serial ${st.serial}): ${st.route}, ${st.rule}${st.layerA.gainDb === null || st.layerA.reason === null ? '' : `, Layer A ${signedDb(st.layerA.gainDb)} (${reasonText(st.layerA.reason, st.layerA.gainDb)})`}`);
  if (s.streams.length === 0) lines.push('  no app streams');
  return lines.join('\n');
}
