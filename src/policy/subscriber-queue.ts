// One subscriber's outbox (docs/architecture.md §4): at most `limit` event lines wait for a slow
// client; past that, events are dropped and counted per topic, and the next line that is
// delivered is preceded by a `daemon/overflow` event carrying the counts. A slow or dead
// client therefore costs the daemon at most `limit` lines of memory. Pure.
export const SUBSCRIBER_QUEUE_LIMIT = 64;

export interface OverflowReport {
  /** drops per topic since the previous overflow event */
  dropped: Record<string, number>;
  /** drops per topic over the life of this subscription */
  total: Record<string, number>;
}

export class SubscriberQueue<T> {
  private readonly items: T[] = [];
  private readonly pendingDrops = new Map<string, number>();
  private readonly totalDrops = new Map<string, number>();

  constructor(readonly limit = SUBSCRIBER_QUEUE_LIMIT) {}

  get length(): number {
    return this.items.length;
  }

  /** Queues an item; false (and counted) when the queue is full. */
  offer(topic: string, item: T): boolean {
    if (this.items.length >= this.limit) {
      this.pendingDrops.set(topic, (this.pendingDrops.get(topic) ?? 0) + 1);
      this.totalDrops.set(topic, (this.totalDrops.get(topic) ?? 0) + 1);
      return false;
    }
    this.items.push(item);
    return true;
  }

  /** The next item to deliver, preceded (once) by the overflow report when drops happened. */
  take(): { overflow?: OverflowReport; item: T } | undefined {
    const item = this.items.shift();
    if (item === undefined) return undefined;
    if (this.pendingDrops.size === 0) return { item };
    const overflow = { dropped: Object.fromEntries(this.pendingDrops), total: Object.fromEntries(this.totalDrops) };
    this.pendingDrops.clear();
    return { overflow, item };
  }
}
