// What `monitor` reads from the daemon: a subscription with the first status and your
// route rules (read before the terminal is touched, so a daemon that is not there is one
// clean line on stderr), and the events as NDJSON for --json.
import { HeadroomError } from '../errors.js';
import { subscribe } from '../orchestrator/control/control-client.js';
import type { Connected } from '../ui/run-monitor.js';
import { badPattern, TOPICS } from '../wire/control-protocol.js';

/** Refuses a topic no event has, naming the ones there are. */
export function checkTopics(topics: readonly string[]): void {
  const bad = badPattern(topics);
  if (bad !== undefined) throw new HeadroomError('bad_topic', `unknown topic "${bad}"`, { hint: `Topics: ${TOPICS.join(', ')}, a group (meters, routing, profile, daemon) or "*"` });
}

export async function connectMonitor(topics: readonly string[]): Promise<Connected> {
  const sub = await subscribe(topics);
  try {
    return { sub, status: await sub.call('status'), rules: (await sub.call('route.list')).rules };
  } catch (e) {
    sub.close();
    throw e;
  }
}

/** Writes each event as a JSON line until `count` have gone out (or the daemon stops). */
export async function streamEvents(c: Connected, count: number | undefined, write: (line: string) => void): Promise<void> {
  let n = 0;
  try {
    for await (const e of c.sub.events) {
      write(`${JSON.stringify(e)}\n`);
      if (count !== undefined && ++n >= count) break;
    }
  } finally {
    c.sub.close();
  }
}
