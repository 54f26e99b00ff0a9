// The monitor as a full-screen ink app: it folds the events of a subscription into the
// view, redraws at 10 Hz even when nothing comes (uptime and staleness move on), and when
// the daemon goes it shows "disconnected" and asks `reconnect` again every second.
// Keys act through the same connection (monitor-actions.ts); q, Esc and Ctrl-C quit; the
// terminal comes back as it was (alternate screen).
import { render, useApp, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Subscription } from '../orchestrator/control/control-client.js';
import type { DaemonStatus } from '../wire/control-protocol.js';
import { nextProfile, toggleBypass, toggleRoute, type Call } from './monitor-actions.js';
import { applyEvent, disconnected, initialState, moveSelection, selectedRow, type MonitorState, type RouteRule } from './monitor-state.js';
import { MonitorView } from './monitor-view.js';

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
  const [state, setState] = useState<MonitorState>(() => initialState(o.first.status, o.topics, Date.now(), o.first.rules));
  const [now, setNow] = useState(Date.now());
  const [call, setCall] = useState<Call>(() => o.first.sub.call);
  const act = (what: (call: Call, s: MonitorState) => Promise<string>) => {
    if (!state.connected) return;
    void what(call, state).then(
      (text) => setState((s) => ({ ...s, notice: { text, at: Date.now() } })),
      (e: Error) => setState((s) => ({ ...s, notice: { text: `could not: ${e.message}`, at: Date.now() } })),
    );
  };
  useInput((input, key) => {
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) return exit();
    if (state.help) return setState((s) => ({ ...s, help: false }));
    if (input === '?' || input === 'h') setState((s) => ({ ...s, help: true }));
    else if (key.upArrow || input === 'k') setState((s) => moveSelection(s, -1));
    else if (key.downArrow || input === 'j') setState((s) => moveSelection(s, 1));
    else if (input === 'b') act(toggleBypass);
    else if (input === 'p') act(nextProfile);
    else if (input === 'm') act((c, s) => toggleRoute(c, selectedRow(s)));
  });
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), REDRAW_MS);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    let live = true;
    let current = o.first;
    void (async () => {
      while (live) {
        try {
          for await (const e of current.sub.events) setState((s) => applyEvent(s, e, Date.now()));
        } catch {
          // the daemon went away
        }
        if (!live) return;
        setState(disconnected);
        for (;;) {
          await new Promise((r) => setTimeout(r, RECONNECT_MS));
          if (!live) return;
          try {
            current = await o.reconnect();
            setCall(() => current.sub.call);
            const fresh = initialState(current.status, o.topics, Date.now(), current.rules);
            setState((s) => ({ ...fresh, history: s.history, selected: s.selected }));
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
  return <MonitorView state={state} now={now} width={stdout.columns || 80} height={stdout.rows || 24} color={o.color} />;
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
