import { describe, expect, it } from 'vitest';
import { checkEvent, checkResult, LineSplitter, MAX_LINE_BYTES, OPS, parseRequest, TOPICS } from '../../src/wire/control-protocol.js';

describe('parseRequest', () => {
  it('accepts a well-formed request', () => {
    expect(parseRequest('{"id":1,"op":"status"}')).toEqual({ ok: true, request: { id: 1, op: 'status', params: {} } });
  });

  it.each([
    ['not json', 'bad_json', null],
    ['[1,2]', 'bad_request', null],
    ['{"op":"status"}', 'bad_request', null],
    ['{"id":{},"op":"status"}', 'bad_request', null],
    ['{"id":"a","op":"rm -rf"}', 'unknown_op', 'a'],
    ['{"id":"a","op":"__proto__"}', 'unknown_op', 'a'],
    ['{"id":2,"op":"bypass.set","params":[true]}', 'bad_params', 2],
    ['{"id":"a","op":"toString"}', 'unknown_op', 'a'],
  ])('%s -> %s', (line, code, id) => {
    expect(parseRequest(line)).toMatchObject({ ok: false, code, id });
  });

  it.each([
    ['{"id":3,"op":"bypass.set","params":{"on":"yes"}}', 'bypass.set: bypass.set needs {"on": true|false}'],
    ['{"id":3,"op":"route.set","params":{"app":"mpv","route":"loud"}}', 'route.set: "route" must be one of processed, direct'],
    ['{"id":3,"op":"route.set","params":{"route":"direct"}}', 'route.set: "app" is missing'],
    [`{"id":3,"op":"route.unset","params":{"app":"${'x'.repeat(257)}"}}`, 'route.unset: needs "app": a string of 1 to 256 characters'],
    ['{"id":3,"op":"setting.set","params":{"key":"agc.target_lufs","value":[1]}}', 'setting.set: needs "value": a number, true/false, or text'],
    ['{"id":3,"op":"subscribe","params":{"topics":"meters"}}', 'subscribe: needs {"topics": [...]}: up to 64 topic names'],
  ])('checks params by the op\'s schema: %s', (line, message) => {
    expect(parseRequest(line)).toEqual({ ok: false, id: 3, code: 'bad_params', message });
  });

  it('keeps __proto__ in params as plain data', () => {
    const r = parseRequest('{"id":1,"op":"bypass.set","params":{"__proto__":{"polluted":true},"on":true}}');
    expect(r).toEqual({ ok: true, request: { id: 1, op: 'bypass.set', params: { on: true } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the messages, declared once', () => {
  it('serves ops and topics from their schemas', () => {
    expect(OPS).toContain('setting.set');
    expect(TOPICS).toContain('meters/layer_a_level');
  });

  it("checks the daemon's results: what this client reads is what it expects", () => {
    expect(checkResult('bypass.set', { bypass: true })).toEqual({ bypass: true });
    expect(() => checkResult('bypass.set', { bypass: 'yes' })).toThrow(/answer to bypass\.set .*"bypass".*another version/);
    expect(() => checkResult('status', null)).toThrow(/answer to status/);
  });

  it('passes a well-formed event and drops one that is not (unknown topic, wrong payload)', () => {
    const rule = { type: 'event', topic: 'routing/rule_changed', data: { app: 'mpv', route: null } };
    expect(checkEvent(rule)).toEqual(rule);
    expect(checkEvent({ ...rule, data: { app: 'mpv', route: 'loud' } })).toBeUndefined();
    expect(checkEvent({ ...rule, topic: 'routing/nope' })).toBeUndefined();
    expect(checkEvent({ ...rule, topic: 'constructor' })).toBeUndefined();
    expect(checkEvent('x')).toBeUndefined();
  });
});

describe('LineSplitter', () => {
  it('returns complete lines across chunks', () => {
    const s = new LineSplitter();
    expect(s.push('{"a"')).toEqual([]);
    expect(s.push(':1}\n{"b":2}\n\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('refuses a line over 1 MiB, even before its newline', () => {
    const s = new LineSplitter();
    expect(s.push('x'.repeat(MAX_LINE_BYTES))).toEqual([]);
    expect(s.push('yy')).toBe('too-large');
  });
});
