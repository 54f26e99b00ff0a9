import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GraphModel } from '../../src/graph/model.js';
import { appStreams } from '../../src/graph/streams.js';
import { PwDumpStream } from '../../src/wire/pw-dump-stream.js';

const fixture = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'pw-dump-monitor.txt'), 'utf8');
const recorded = new PwDumpStream().push(fixture).flatMap((i) => (i.kind === 'batch' ? [i.objects] : []));

describe('GraphModel on recorded pw-dump output', () => {
  it('builds the initial graph: sinks, metadata, no streams', () => {
    const g = new GraphModel();
    g.apply(recorded[0] ?? []);
    expect(g.nodeByName('speakers')?.props['media.class']).toBe('Audio/Sink');
    expect(g.nodeByName('headroom-processed')?.serial).toBe(43);
    expect(g.metadataNamed('default')?.entries.some((e) => e.key === 'default.audio.sink')).toBe(true);
    expect(appStreams(g)).toEqual([]);
  });

  it('follows a stream: appears, gets linked to the speakers, goes away', () => {
    const g = new GraphModel();
    const seen: string[] = [];
    let linkedBatches = 0;
    for (const batch of recorded) {
      for (const c of g.apply(batch)) if (c.object === 'node' && c.kind !== 'changed') seen.push(`${c.kind} ${c.id}/${c.serial}`);
      if (g.nodes.has(54) && g.linksFrom(54).length === 2) {
        linkedBatches++;
        const speakers = g.nodeByName('speakers');
        expect(g.linksFrom(54).every((l) => l.inputNode === speakers?.id)).toBe(true);
        expect(g.portsOf(54, 'output').map((p) => p.channel).sort()).toEqual(['FL', 'FR']);
        expect(appStreams(g)).toMatchObject([{ nodeId: 54, serial: 266, app: 'pw-play', dontReconnect: false }]);
      }
    }
    expect(linkedBatches).toBeGreaterThan(0); // the stream was seen linked, and checked so
    expect(seen).toContain('added 54/266');
    expect(seen).toContain('removed 54/266');
    expect(g.nodes.has(54)).toBe(false);
    expect(g.linksFrom(54)).toEqual([]);
  });

  it('treats a reused id with a new serial as a new object', () => {
    const g = new GraphModel();
    const node = (serial: number) => ({ id: 70, type: 'PipeWire:Interface:Node', info: { props: { 'object.serial': serial, 'media.class': 'Stream/Output/Audio' } } });
    g.apply([node(500)]);
    expect(g.apply([node(501)])).toEqual([
      { kind: 'removed', object: 'node', id: 70, serial: 500 },
      { kind: 'added', object: 'node', id: 70, serial: 501 },
    ]);
    expect(g.nodeBySerial(500)).toBeUndefined();
  });

  it('skips malformed entries instead of throwing', () => {
    const g = new GraphModel();
    expect(g.apply([null, 3, 'x', { id: 'a' }, { id: 1, type: 'PipeWire:Interface:Node', info: { props: {} } }, { id: 2, type: 'PipeWire:Interface:Link', info: { props: { 'object.serial': 9 } } }])).toEqual([]);
  });
});

describe('appStreams', () => {
  const make = (props: Record<string, unknown>, client?: Record<string, unknown>) => {
    const g = new GraphModel();
    const objs: unknown[] = [{ id: 10, type: 'PipeWire:Interface:Node', info: { props: { 'object.serial': 100, 'media.class': 'Stream/Output/Audio', 'node.name': 'n', ...props } } }];
    if (client) objs.push({ id: 5, type: 'PipeWire:Interface:Client', info: { props: { 'object.serial': 50, ...client } } });
    g.apply(objs);
    return appStreams(g)[0];
  };

  it('takes the app identity from the client for native PipeWire apps', () => {
    expect(make({ 'client.id': 5 }, { 'application.name': 'Firefox', 'application.process.binary': 'firefox' })).toMatchObject({ app: 'Firefox', binary: 'firefox' });
  });

  it("leaves headroom's own nodes out, and excludes monitors and level meters", () => {
    expect(make({ 'headroom.node': 'engine' })).toBeUndefined();
    expect(make({ 'stream.monitor': true })?.excluded).toMatch(/monitor/);
    expect(make({ 'media.name': 'Peak detect' })?.excluded).toMatch(/level meter/);
    expect(make({ 'application.name': 'mpv' })?.excluded).toBeUndefined();
  });

  it('notes node.dont-reconnect streams', () => {
    expect(make({ 'node.dont-reconnect': 'true' })?.dontReconnect).toBe(true);
  });
});
