#!/usr/bin/env node
// c-call-graph.mjs [DIR]: which C file of DIR (default native/filter-host/src/host) calls a
// function defined in which other, and whether the calls form a cycle. A grep-level reading:
// a call is a non-static hr_ function's name, defined in one file, appearing in another (calls
// through hook lists and callbacks are not calls here, which is the point). Prints one edge a
// line; exits 1 when some files call each other in a circle.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Source without comments, strings and preprocessor lines. */
function code(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/"(?:\\.|[^"\\\n])*"/g, '""')
    .replace(/'(?:\\.|[^'\\\n])*'/g, "''")
    .replace(/^\s*#.*(?:\\\n.*)*$/gm, ' ');
}

/** Names of the non-static hr_ functions a file defines (a definition starts at column 0; the
 * allocator rt_trap.c interposes is libc's, not a call into the host). */
function defined(src) {
  const names = new Set();
  for (const m of src.matchAll(/^(?!static\b)[A-Za-z_][\w \t*]*?\b([A-Za-z_]\w*)\s*\([^;{]*\)\s*(?:__attribute__\s*\(\(.*\)\)\s*)?\{/gm)) if (m[1].startsWith('hr_')) names.add(m[1]);
  return names;
}

/** { files, edges: [[from, to, [functions]]], cycles: [[file...]] } for the .c files of dir. */
export function callGraph(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
  const src = new Map(files.map((f) => [f, code(readFileSync(path.join(dir, f), 'utf8'))]));
  const owner = new Map();
  for (const f of files) for (const name of defined(src.get(f))) owner.set(name, f);
  const edges = [];
  for (const f of files) {
    const calls = new Map();
    for (const m of src.get(f).matchAll(/\b([A-Za-z_]\w*)\b/g)) {
      const to = owner.get(m[1]);
      if (to && to !== f) calls.set(to, (calls.get(to) ?? new Set()).add(m[1]));
    }
    for (const [to, names] of [...calls].sort()) edges.push([f, to, [...names].sort()]);
  }
  return { files, edges, cycles: cycles(files, edges) };
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(files, edges) {
  const next = new Map(files.map((f) => [f, edges.filter((e) => e[0] === f).map((e) => e[1])]));
  const index = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
  let n = 0;
  const visit = (v) => {
    index.set(v, n); low.set(v, n); n++;
    stack.push(v); on.add(v);
    for (const w of next.get(v)) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = process.argv[2] ?? path.join(root, 'native/filter-host/src/host');
  const g = callGraph(dir);
  for (const [from, to, names] of g.edges) console.log(`${from} -> ${to}: ${names.join(', ')}`);
  for (const c of g.cycles) console.log(`cycle: ${c.join(' ')}`);
  if (g.cycles.length === 0) console.log('no cycle');
  process.exit(g.cycles.length ? 1 : 0);
}
