// The control socket's messages (docs/architecture.md §4): newline-delimited JSON. The server speaks
// first (hello); requests carry an id and an op; responses carry ok with a result or a
// typed error. Pure: parsing and encoding only.
export const CONTROL_PROTOCOL = 1;
/** A request line longer than this is refused and the connection closed. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** The ops this daemon serves. */
export const OPS = [
  'status',
  'route.list', 'route.set', 'route.unset',
  'profile.list', 'profile.show', 'profile.use', 'profile.reload',
  'setting.get', 'setting.set', 'setting.list',
  'bypass.set',
  'subscribe', 'unsubscribe',
  'shutdown',
] as const;
export type Op = (typeof OPS)[number];

/** Every event topic the daemon publishes. */
export const TOPICS = [
  'daemon/started', 'daemon/shutdown', 'daemon/overflow', 'daemon/error', 'daemon/health',
  'routing/rule_changed', 'routing/stream_routed', 'routing/stream_removed', 'routing/layer_a_attached', 'routing/layer_a_detached',
  'meters/tick', 'meters/layer_a_level',
  'profile/changed', 'profile/reload_failed',
] as const;
export type Topic = (typeof TOPICS)[number];

/** A subscription pattern: a whole topic ("meters/tick"), a group ("meters") or everything ("*"). */
export function topicMatches(pattern: string, topic: string): boolean {
  return pattern === '*' || pattern === topic || topic.startsWith(`${pattern}/`);
}

/** Checks subscription patterns; returns the bad one, if any. */
export function badPattern(patterns: readonly string[]): string | undefined {
  return patterns.find((p) => !TOPICS.some((t) => topicMatches(p, t)));
}

export interface EventMessage {
  type: 'event';
  topic: Topic;
  data: unknown;
}

export type ControlErrorCode = 'bad_json' | 'bad_request' | 'unknown_op' | 'bad_params' | 'not_found' | 'unavailable' | 'internal';

export interface Hello {
  type: 'hello';
  protocol: number;
  version: string;
  pid: number;
  profile: string;
}

export interface Request {
  id: string | number;
  op: Op;
  params: Record<string, unknown>;
}

export type Response =
  | { type: 'response'; id: string | number; ok: true; result: unknown }
  | { type: 'response'; id: string | number | null; ok: false; error: { code: ControlErrorCode; message: string } };

export type ParseResult = { ok: true; request: Request } | { ok: false; id: string | number | null; code: ControlErrorCode; message: string };

const isOp = (v: unknown): v is Op => typeof v === 'string' && (OPS as readonly string[]).includes(v);

/** Parses one request line. Never throws; prototype keys in the input stay plain data. */
export function parseRequest(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, id: null, code: 'bad_json', message: 'the line is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, id: null, code: 'bad_request', message: 'a request is a JSON object' };
  const o = value as Record<string, unknown>;
  const id = typeof o.id === 'string' || (typeof o.id === 'number' && Number.isFinite(o.id)) ? o.id : null;
  if (id === null) return { ok: false, id: null, code: 'bad_request', message: 'a request needs an "id" (string or number)' };
  if (!isOp(o.op)) return { ok: false, id, code: 'unknown_op', message: `unknown op ${JSON.stringify(String(o.op)).slice(0, 80)}; ops: ${OPS.join(', ')}` };
  const params = o.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { ok: false, id, code: 'bad_params', message: '"params" must be an object' };
  return { ok: true, request: { id, op: o.op, params: Object.assign(Object.create(null) as Record<string, unknown>, params) } };
}

export function encodeLine(message: Hello | Response | Request | EventMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/** Splits a byte stream into lines, refusing lines over MAX_LINE_BYTES. */
export class LineSplitter {
  private buf = '';

  /** Returns complete lines, or 'too-large' once a line has grown past the limit. */
  push(chunk: string): string[] | 'too-large' {
    this.buf += chunk;
    const lines = this.buf.split('\n');
    this.buf = lines.pop() ?? '';
    if (Buffer.byteLength(this.buf) > MAX_LINE_BYTES || lines.some((l) => Buffer.byteLength(l) > MAX_LINE_BYTES)) return 'too-large';
    return lines.filter((l) => l.trim() !== '');
  }
}
