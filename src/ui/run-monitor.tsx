// The monitor as a full-screen ink app: it folds the events of a subscription into the
// view, redraws at up to 10 Hz while the bus plays and otherwise only when the clock changes
// what it shows (the uptime's minute, staleness, a banner's end), and when the daemon goes it
// shows "disconnected" and asks `reconnect` again every second.
// Keys act through the same connection (monitor-actions.ts); q, Esc and Ctrl-C quit; the
// terminal comes back as it was (alternate screen).
import { render, useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { Subscription } from '../orchestrator/control/control-client.js';
import type { DaemonStatus } from '../wire/control-protocol.js';
import { nextProfile, toggleBypass, toggleRoute, type Call } from './monitor-actions.js';
import { applyEvent, disconnected, initialState, moveSelection, repeatsTick, selectedRow, type MonitorState, type RouteRule } from './monitor-state.js';
import { clockShows, MonitorView } from './monitor-view.js';

export interface Connected {
  sub: Subscription;
  status: DaemonStatus;
  rules: RouteRule[];
}

export interface MonitorOptions {
  first: Connected;
  topics: string[];
  /** connects and subscribes again (the daemon came back), or throws */
  reconnect: () => Promise<Connected>;
  color: boolean;
}

const REDRAW_MS = 100;
const RECONNECT_MS = 1000;

function App({ o }: { o: MonitorOptions }) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  // events fold into `latest`; the screen is drawn from it at up to 10 Hz while what it shows
  // changes: a bus playing silence, or nothing, costs a draw a minute, not ten a second (the
  // daemon repeats an unchanged meters/tick at 10 Hz; a draw is most of the monitor's cost)
  const latest = useRef<MonitorState>(initialState(o.first.status, o.topics, Date.now(), o.first.rules));
  const [frame, setFrame] = useState(() => ({ state: latest.current, now: Date.now() }));
  const dirty = useRef(false);
  const drawnClock = useRef('');
  const draw = (now = Date.now()) => {
    dirty.current = false;
    drawnClock.current = clockShows(latest.current, now);
    setFrame({ state: latest.current, now });
  };
  /** Changes the state; `now` draws it at once (a key was pressed, the daemon came or went);
   * `shows` false: nothing on the screen changes (a repeated meter reading). */
  const update = (f: (s: MonitorState) => MonitorState, now = false, shows = true) => {
    latest.current = f(latest.current);
    if (shows) dirty.current = true;
    if (now) draw();
  };
  const [call, setCall] = useState<Call>(() => o.first.sub.call);
  const act = (what: (call: Call, s: MonitorState) => Promise<string>) => {
    if (!latest.current.connected) return;
    void what(call, latest.current).then(
      (text) => update((s) => ({ ...s, notice: { text, at: Date.now() } }), true),
      (e: Error) => update((s) => ({ ...s, notice: { text: `could not: ${e.message}`, at: Date.now() } }), true),
    );
  };
  useInput((input, key) => {
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) return exit();
    if (latest.current.help) return update((s) => ({ ...s, help: false }), true);
    if (input === '?' || input === 'h') update((s) => ({ ...s, help: true }), true);
    else if (key.upArrow || input === 'k') update((s) => moveSelection(s, -1), true);
    else if (key.downArrow || input === 'j') update((s) => moveSelection(s, 1), true);
    else if (input === 'b') act((c) => toggleBypass(c));
    else if (input === 'p') act(nextProfile);
    else if (input === 'm') act((c, s) => toggleRoute(c, selectedRow(s)));
  });
  useEffect(() => {
    const t = setInterval(() => {
      const now = Date.now();
      if (dirty.current || clockShows(latest.current, now) !== drawnClock.current) draw(now);
    }, REDRAW_MS);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    let live = true;
    let current = o.first;
    void (async () => {
      while (live) {
        try {
          for await (const e of current.sub.events) update((s) => applyEvent(s, e, Date.now()), false, !repeatsTick(latest.current, e));
        } catch {
          // the daemon went away
        }
        if (!live) return;
        update(disconnected, true);
        for (;;) {
          await new Promise((r) => setTimeout(r, RECONNECT_MS));
          if (!live) return;
          try {
            current = await o.reconnect();
            setCall(() => current.sub.call);
            const fresh = initialState(current.status, o.topics, Date.now(), current.rules);
            update((s) => ({ ...fresh, history: s.history, selected: s.selected }), true);
            break;
          } catch {
            // not back yet
          }
        }
      }
    })();
    return () => {
      live = false;
      current.sub.close();
    };
  }, [o]);
  return <MonitorView state={frame.state} now={frame.now} width={stdout.columns || 80} height={stdout.rows || 24} color={o.color} />;
}

export async function runMonitorTui(o: MonitorOptions): Promise<void> {
  process.stdout.write('\x1b[?1049h\x1b[H');
  try {
    const app = render(<App o={o} />, { exitOnCtrlC: false });
    await app.waitUntilExit();
  } finally {
    process.stdout.write('\x1b[?1049l');
  }
}
