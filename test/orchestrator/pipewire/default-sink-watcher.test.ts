// When the output watcher reads the default metadata afresh (pw-metadata mocked at the exec
// boundary): soon after a program not headroom's own came or went, and on a period that backs
// off while nothing happens.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GraphModel, type GraphChange } from '../../../src/graph/model.js';

const exec = vi.hoisted(() => ({ reads: [] as number[], value: 'speakers', ours: new Set<number>() }));
vi.mock('../../../src/orchestrator/process/exec.js', () => ({
  run: async () => {
    exec.reads.push(Date.now());
    return `update: id:0 key:'default.audio.sink' value:'{"name":"${exec.value}"}' type:'Spa:String:JSON'\n`;
  },
  spawnStream: () => {
    let end: () => void = () => undefined;
    const proc = new Promise<void>((resolve) => (end = resolve));
    const stdout = Object.assign(new EventEmitter(), { setEncoding: () => stdout });
    void Promise.resolve().then(() => stdout.emit('data', `update: id:0 key:'default.audio.sink' value:'{"name":"${exec.value}"}' type:'Spa:String:JSON'\n`));
    return Object.assign(proc, { stdout, stderr: { resume: () => undefined }, kill: () => end() });
  },
  startedByUs: (pid: number) => exec.ours.has(pid),
}));
const { DefaultSinkWatcher } = await import('../../../src/orchestrator/pipewire/default-sink-watcher.js');

const client = (id: number, pid: number) => ({ id, type: 'PipeWire:Interface:Client', info: { props: { 'object.serial': 1000 + id, 'application.process.id': pid } } });

describe('DefaultSinkWatcher reads', () => {
  let t0: number;
  let missed: (string | undefined)[];
  let watcher: InstanceType<typeof DefaultSinkWatcher>;
  const model = new GraphModel();
  const since = () => exec.reads.map((t) => t - t0);
  const changes = (objects: unknown[]): GraphChange[] => model.apply(objects);

  beforeEach(() => {
    vi.useFakeTimers();
    exec.reads = [];
    exec.value = 'speakers';
    t0 = Date.now();
    missed = [];
    watcher = new DefaultSinkWatcher({}, 'headroom-processed', () => undefined, () => undefined, (name) => missed.push(name));
  });
  afterEach(async () => {
    await watcher.stop();
    vi.useRealTimers();
  });

  it('every 2 s at first, backing off to every 8 s while nothing changes', async () => {
    await vi.advanceTimersByTimeAsync(30_000);
    expect(since()).toEqual([2000, 6000, 14000, 22000, 30000]);
  });

  it('50 ms after a program not started by headroom leaves PipeWire; its own programs (and clients without a pid) do not count', async () => {
    exec.ours.add(4242);
    await vi.advanceTimersByTimeAsync(10_000); // backed off: next read at 14 s
    watcher.onGraphChanges(changes([client(7, 4242)]), model);
    watcher.onGraphChanges(changes([{ id: 7, info: null }]), model);
    watcher.onGraphChanges(changes([{ id: 9, type: 'PipeWire:Interface:Client', info: { props: { 'object.serial': 1009 } } }]), model); // no pid: not counted
    watcher.onGraphChanges(changes([{ id: 9, info: null }]), model);
    await vi.advanceTimersByTimeAsync(1000);
    expect(since()).toEqual([2000, 6000]);
    watcher.onGraphChanges(changes([client(8, 999)]), model); // comes: no read yet
    await vi.advanceTimersByTimeAsync(100);
    exec.value = 'headphones';
    watcher.onGraphChanges(changes([{ id: 8, info: null }]), model); // leaves: read in 50 ms
    await vi.advanceTimersByTimeAsync(100);
    watcher.onGraphChanges(changes([client(10, 998)]), model);
    watcher.onGraphChanges(changes([{ id: 10, info: null }]), model);
    await vi.advanceTimersByTimeAsync(300);
    expect(since()).toEqual([2000, 6000, 11150, 11400]); // reads are 250 ms apart at least
    expect(missed).toEqual(['headphones']);
  });

  it('a change in the graph brings the period back to 2 s', async () => {
    await vi.advanceTimersByTimeAsync(14_500);
    watcher.onGraphChanges(changes([{ id: 50, type: 'PipeWire:Interface:Node', info: { props: { 'object.serial': 50, 'node.name': 'x' } } }]), model);
    await vi.advanceTimersByTimeAsync(6100);
    expect(since()).toEqual([2000, 6000, 14000, 16500, 20500]);
  });
});
