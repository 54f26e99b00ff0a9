// `headroom doctor` against a real private PipeWire: all well (the running engine's real-time
// scheduling read off its threads); what a daemon killed with -9
// really leaves (stale socket, journal, the bus promoted to WirePlumber's remembered default)
// and what WirePlumber's own list still holds after `stop --restore`; a saved stream target; no PipeWire running; no
// PipeWire installed.
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poll } from '../../src/orchestrator/poll.js';
import { headroom } from '../helpers/cli.js';
import { play, sine, writeSignal } from './audio.js';
import { startDaemon, usePrivatePipewire } from './sandbox.js';

const box = usePrivatePipewire();

interface Check { name: string; status: string; detail: string; fix?: string }
const doctor = async (env: NodeJS.ProcessEnv) => {
  const r = await headroom(['doctor', '--json'], env);
  return { code: r.code, ...(JSON.parse(r.stdout) as { checks: Check[]; ok: boolean }) };
};
const check = (checks: Check[], name: string) => checks.find((c) => c.name === name);
const warnings = (checks: Check[]) => checks.filter((c) => c.status !== 'ok').map((c) => c.name).sort();

describe('headroom doctor', () => {
  it('all well; what a killed daemon leaves, each with its fix; after stop --restore only what WirePlumber keeps itself', async () => {
    const { pw, dir } = box;
    const good = await doctor(pw.env);
    expect(good.code).toBe(0);
    expect(good.ok).toBe(true);
    expect(check(good.checks, 'pipewire')).toMatchObject({ status: 'ok', detail: expect.stringContaining('libpipewire 0.3') });
    expect(check(good.checks, 'wireplumber')).toMatchObject({ status: 'ok', detail: expect.stringContaining('0.4') });
    expect(check(good.checks, 'filter-host')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/headroom-filter-host runs$/) });
    expect(check(good.checks, 'daemon')).toMatchObject({ status: 'ok', detail: 'not running' });
    expect(warnings(good.checks)).toEqual([]);

    const app = play(pw, writeSignal(path.join(dir, 'doc.wav'), 30, sine(-20)), { name: 'doctor-app' });
    await app.node();
    const daemon = startDaemon(pw, ['--auto-promote']);
    const defaults = path.join(pw.env.XDG_STATE_HOME!, 'wireplumber', 'default-nodes');
    try {
      await poll('headroom running', () => daemon.log().includes('headroom running'), 10_000);
      const live = await doctor(pw.env);
      expect(check(live.checks, 'daemon')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^running \(pid \d+, profile default\)$/) });
      // measured on the running engine, and told as ps sees its threads' scheduling classes
      const engine = (await execa('pgrep', ['-P', String(daemon.proc.pid), '-f', 'headroom-filter-host'])).stdout.trim();
      const classes = (await execa('ps', ['-L', '-o', 'cls=', '-p', engine])).stdout.split('\n').map((c) => c.trim());
      expect(check(live.checks, 'real-time')).toEqual(classes.some((c) => c === 'FF' || c === 'RR')
        ? { name: 'real-time', status: 'ok', detail: expect.stringMatching(/^the engine's audio thread runs SCHED_(FIFO|RR), priority \d+$/) }
        : { name: 'real-time', status: 'warn', detail: expect.stringContaining("the engine's audio thread has no real-time priority"), fix: expect.stringContaining('rtkit') });
      await poll('WirePlumber remembering the bus as the default', () => readFileSync(defaults, 'utf8').includes('default.configured.audio.sink=headroom-processed'), 5000, 50);
      daemon.proc.kill('SIGKILL');
      await daemon.proc;

      const left = await doctor(pw.env);
      expect(left.code).toBe(0); // warnings, nothing broken
      expect(warnings(left.checks)).toEqual(['daemon', 'default output', 'leftovers']);
      expect(check(left.checks, 'daemon')).toMatchObject({ detail: expect.stringContaining('stale socket'), fix: 'Remove it: headroom stop --restore (headroom start replaces it too)' });
      expect(check(left.checks, 'leftovers')).toMatchObject({ detail: expect.stringMatching(/^a journal of headroom pid \d+: 1 stream target\(s\), (1 stream volume\(s\), )?your default output to give back$/), fix: 'Undo it: headroom stop --restore' });
      expect(check(left.checks, 'default output')?.fix).toContain('headroom stop --restore');

      expect((await headroom(['stop', '--restore'], pw.env)).code).toBe(0);
      await poll('WirePlumber no longer pinning the bus', () => !readFileSync(defaults, 'utf8').includes('default.configured.audio.sink=headroom-processed'), 5000, 50);
      const after = await doctor(pw.env);
      expect(after.code).toBe(0);
      expect(warnings(after.checks)).toEqual(['default output']);
      // what is left is WirePlumber's own list of earlier defaults: only it writes that
      expect(check(after.checks, 'default output')).toMatchObject({ detail: expect.stringContaining("list of earlier default outputs names headroom-processed"), fix: expect.stringContaining('With WirePlumber stopped') });
      writeFileSync(defaults, readFileSync(defaults, 'utf8').split('\n').filter((l) => !l.endsWith('=headroom-processed')).join('\n'));
      expect(warnings((await doctor(pw.env)).checks)).toEqual([]);
    } finally {
      daemon.proc.kill('SIGKILL');
      app.proc.kill('SIGTERM');
      await app.proc;
    }
  });

  it('a stream target saved in WirePlumber state; no PipeWire running; no PipeWire installed', async () => {
    const { pw } = box;
    // (a state dir of its own: the running WirePlumber rewrites its file when it likes)
    const state = path.join(box.dir, 'state-copy');
    mkdirSync(path.join(state, 'wireplumber'), { recursive: true });
    writeFileSync(path.join(state, 'wireplumber', 'restore-stream'), '[restore-stream]\nOutput/Audio:media.role:x:target=headroom-processed\n');
    const saved = await doctor({ ...pw.env, XDG_STATE_HOME: state });
    expect(saved.code).toBe(0);
    expect(check(saved.checks, 'wireplumber state')).toMatchObject({ status: 'warn', detail: expect.stringContaining('1 saved stream target(s) name headroom-processed') });

    const none = await doctor({ ...pw.env, PIPEWIRE_REMOTE: 'nobody-here' });
    expect(none.code).toBe(1);
    expect(none.ok).toBe(false);
    expect(check(none.checks, 'pipewire')).toMatchObject({ status: 'fail', fix: expect.stringContaining('systemctl --user start pipewire') });
    expect(check(none.checks, 'wireplumber')).toMatchObject({ status: 'fail', detail: 'not running: it needs PipeWire first' });

    const bare = await doctor({ ...pw.env, PATH: '/nonexistent' });
    expect(bare.code).toBe(1);
    expect(check(bare.checks, 'tools')).toMatchObject({ status: 'fail', detail: 'not on PATH: pw-dump, pw-metadata, pw-link, pw-cli' });
    expect(check(bare.checks, 'pipewire')).toMatchObject({ status: 'fail', detail: 'not installed', fix: expect.stringContaining('apt-get install pipewire') });
    expect(check(bare.checks, 'wireplumber')).toMatchObject({ status: 'fail', detail: expect.stringContaining('not installed') });
  });
});
