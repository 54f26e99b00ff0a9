import { describe, expect, it } from 'vitest';
import { SubscriberQueue } from '../../src/policy/subscriber-queue.js';

describe('SubscriberQueue', () => {
  it('holds up to its limit, drops and counts per topic beyond, and reports the drops ahead of the next delivery', () => {
    const q = new SubscriberQueue<string>(3);
    expect(['a', 'b', 'c'].map((x) => q.offer('meters/tick', x))).toEqual([true, true, true]);
    expect(q.offer('meters/tick', 'd')).toBe(false);
    expect(q.offer('routing/stream_routed', 'e')).toBe(false);
    expect(q.offer('meters/tick', 'f')).toBe(false);
    expect(q.take()).toEqual({ item: 'a', overflow: { dropped: { 'meters/tick': 2, 'routing/stream_routed': 1 }, total: { 'meters/tick': 2, 'routing/stream_routed': 1 } } });
    expect(q.take()).toEqual({ item: 'b' });
    q.offer('meters/tick', 'g');
    q.offer('meters/tick', 'h');
    expect(q.offer('meters/tick', 'i')).toBe(false);
    expect(q.take()).toEqual({ item: 'c', overflow: { dropped: { 'meters/tick': 1 }, total: { 'meters/tick': 3, 'routing/stream_routed': 1 } } });
    expect([q.take()?.item, q.take()?.item, q.take()]).toEqual(['g', 'h', undefined]);
  });
});
