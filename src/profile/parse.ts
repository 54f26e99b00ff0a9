// Profile TOML -> validated Profile. Strict: unknown keys, wrong types and out-of-range
// values are errors that name the file, the line and the key.
import { parse, TomlError } from 'smol-toml';
import { checkValue, defaultSettings, RULE_FIELDS, ROUTES, type Profile, type Route, type RoutingRule, type RuleField } from './schema.js';

export interface ProfileProblem {
  file: string;
  line?: number;
  key?: string;
  reason: string;
}

export class ProfileInvalid extends Error {
  readonly problem: ProfileProblem;
  constructor(problem: ProfileProblem) {
    const where = `${problem.file}${problem.line ? `:${problem.line}` : ''}`;
    super(`${where}: ${problem.reason}`);
    this.name = 'ProfileInvalid';
    this.problem = problem;
  }
}

const TOP_KEYS = new Set(['description', 'agc', 'compressor', 'limiter', 'layer_a', 'routing', 'devices']);

/** Line (1-based) where a dotted key is set, found by walking table headers. */
export function locateKey(source: string, dotted: string): number | undefined {
  const parts = dotted.split('.');
  const leaf = parts.pop() ?? '';
  const table = parts.join('.');
  let current = '';
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      current = header[1] ?? '';
      if (current === dotted) return i + 1;
      continue;
    }
    const m = /^([A-Za-z0-9_.-]+|"[^"]*")\s*=/.exec(line);
    if (!m) continue;
    const key = (m[1] ?? '').replace(/"/g, '');
    const full = current ? `${current}.${key}` : key;
    if (full === dotted || (current === table && key === leaf)) return i + 1;
  }
  return undefined;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function parseRules(value: unknown, fail: (key: string, reason: string) => never): RoutingRule[] {
  if (!Array.isArray(value)) fail('routing.rules', 'routing.rules must be an array of tables ([[routing.rules]])');
  return value.map((raw, i) => {
    if (!isTable(raw)) fail('routing.rules', `routing.rules[${i}] must be a table`);
    for (const k of Object.keys(raw))
      if (!['match', 'route', 'field', 'layer_a'].includes(k)) fail(`routing.rules.${k}`, `unknown key "${k}" in routing.rules[${i}] (allowed: match, route, field, layer_a)`);
    if (typeof raw.match !== 'string' || raw.match.length === 0 || raw.match.length > 256)
      fail('routing.rules.match', `routing.rules[${i}].match must be a non-empty string of at most 256 characters`);
    if (raw.layer_a !== undefined && typeof raw.layer_a !== 'boolean') fail('routing.rules.layer_a', `routing.rules[${i}].layer_a must be true or false`);
    if ((raw.route !== undefined || raw.layer_a === undefined) && (typeof raw.route !== 'string' || !ROUTES.includes(raw.route as never)))
      fail('routing.rules.route', `routing.rules[${i}].route must be one of ${ROUTES.join(', ')}${raw.layer_a === undefined ? ' (or the rule sets layer_a)' : ''}`);
    const rule: RoutingRule = { match: raw.match };
    if (raw.route !== undefined) rule.route = raw.route as Route;
    if (raw.layer_a !== undefined) rule.layerA = raw.layer_a as boolean;
    if (raw.field !== undefined) {
      if (typeof raw.field !== 'string' || !RULE_FIELDS.includes(raw.field as RuleField))
        fail('routing.rules.field', `routing.rules[${i}].field must be one of ${RULE_FIELDS.join(', ')}`);
      rule.field = raw.field as RuleField;
    }
    return rule;
  });
}

/** `[devices] sinks = ["alsa_output.usb-…", …]`: node names of the outputs the profile belongs to. */
function parseDevices(value: unknown, fail: (key: string, reason: string) => never): string[] {
  if (!isTable(value)) fail('devices', 'devices must be a table ([devices])');
  const t = value as Record<string, unknown>;
  for (const k of Object.keys(t)) if (k !== 'sinks') fail(`devices.${k}`, `unknown key "devices.${k}" (allowed: sinks)`);
  const sinks = t.sinks ?? [];
  if (!Array.isArray(sinks) || !sinks.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 256))
    fail('devices.sinks', 'devices.sinks must be an array of output names (node.name, 1 to 256 characters each)');
  return sinks as string[];
}

/** Parses and validates one profile file's text. Throws ProfileInvalid. */
export function parseProfile(name: string, source: string, file: string): Profile {
  let doc: Record<string, unknown>;
  try {
    doc = parse(source) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0] ?? 'invalid TOML';
      throw new ProfileInvalid({ file, line: err.line, reason: `TOML syntax: ${reason}` });
    }
    throw err;
  }
  const fail = (key: string, reason: string): never => {
    throw new ProfileInvalid({ file, line: locateKey(source, key), key, reason });
  };
  const settings = defaultSettings();
  let description = '';
  let rules: RoutingRule[] = [];
  let devices: string[] = [];
  for (const [top, value] of Object.entries(doc)) {
    if (!TOP_KEYS.has(top)) fail(top, `unknown key "${top}" (allowed: ${[...TOP_KEYS].join(', ')})`);
    if (top === 'devices') {
      devices = parseDevices(value, fail);
      continue;
    }
    if (top === 'description') {
      if (typeof value !== 'string') fail(top, 'description must be a string');
      description = value as string;
      continue;
    }
    if (!isTable(value)) fail(top, `${top} must be a table ([${top}])`);
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const dotted = `${top}.${key}`;
      if (dotted === 'routing.rules') {
        rules = parseRules(v, fail);
        continue;
      }
      const checked = checkValue(dotted, v);
      if (!checked.ok) fail(dotted, checked.reason);
      else settings[dotted] = checked.value;
    }
  }
  return { name, description, settings, rules, devices, source: file };
}
