// The systemd user unit that runs `headroom start` alongside PipeWire: started with it,
// stopped with it (BindsTo), restarted a second after a failure. Stopping it signals the
// daemon alone (KillMode=mixed): its engine and monitors must live on while it hands every
// app back; whatever is left after that gets SIGKILL. Pure.
export const UNIT_NAME = 'headroom.service';

/** One ExecStart word, quoted for systemd when it needs it. */
function word(w: string): string {
  return /^[A-Za-z0-9_./@:+=-]+$/.test(w) ? w : `"${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function unitText(execStart: readonly string[]): string {
  return `[Unit]
Description=headroom: loudness levelling and protection for PipeWire
After=pipewire.service wireplumber.service
BindsTo=pipewire.service

[Service]
Type=exec
ExecStart=${execStart.map(word).join(' ')}
SyslogIdentifier=headroom
Restart=on-failure
RestartSec=1
KillMode=mixed
TimeoutStopSec=15

[Install]
WantedBy=pipewire.service
`;
}
