// `meters/tick` at 10 Hz for whoever listens. The engine leaves out a meter frame that
// says nothing new (silence, nothing playing) for up to a second, so that an idle headroom
// wakes once a second, not ten times; in between, the last reading is repeated here, and
// never for longer than that second (an engine gone quiet stops the ticks).
import type { Topic } from '../../wire/control-protocol.js';
import { REPEAT_TICKS, TICK_MS, type Frame } from '../../wire/filter-host-protocol.js';
import { meterTick } from './daemon-status.js';
import type { Publish } from '../../wire/control-protocol.js';

type Meter = Extract<Frame, { kind: 'meter' }>;

/** The first repeat comes half a tick late, so that a frame that is merely late is not doubled. */
const FIRST_REPEAT_MS = TICK_MS * 1.5;
/** the ticks the engine may leave out in a row */
const MAX_REPEATS = REPEAT_TICKS - 1;

export class MeterTicks {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly publish: Publish,
    private readonly listens: (topic: Topic) => boolean,
    private readonly settings: () => Readonly<Record<string, unknown>>,
  ) {}

  /** A meter frame from the engine: out now, and repeated until the next one. */
  onMeter(f: Meter): void {
    clearTimeout(this.timer);
    let repeats = 0;
    const send = () => {
      if (!this.listens('meters/tick')) return;
      this.publish('meters/tick', () => meterTick(f, this.settings()));
      if (repeats++ < MAX_REPEATS) this.timer = setTimeout(send, repeats === 1 ? FIRST_REPEAT_MS : TICK_MS);
    };
    send();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
