// Profiles and settings with a running daemon: set/get (a negative number is a value),
// persisted; hot reload of the running profile's file (a broken edit keeps it running);
// profile use; a profile bound to an output device.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { subscribe } from '../../src/orchestrator/control/control-client.js';
import { poll } from '../../src/orchestrator/process/poll.js';
import type { EventMessage } from '../../src/wire/control-protocol.js';
import { headroom } from '../helpers/cli.js';
import { usePrivatePipewire, useSession } from './sandbox.js';

const box = usePrivatePipewire();
const session = useSession(box);

describe('settings and profiles, live', () => {
  it('sets, persists, hot-reloads, switches, and follows a device-bound profile', async () => {
    const { pw } = box;
    const profiles = path.join(pw.env.XDG_CONFIG_HOME!, 'headroom', 'profiles');
    mkdirSync(profiles, { recursive: true });
    const mine = path.join(profiles, 'mine.toml');
    writeFileSync(mine, 'description = "mine"\n[agc]\ntarget_lufs = -20.0\n');
    writeFileSync(path.join(profiles, 'phones.toml'), 'description = "for my headphones"\n[agc]\ntarget_lufs = -22.0\n[devices]\nsinks = ["phones"]\n');
    const daemon = session.daemon(['--profile', 'mine']);
    await daemon.running();
    const sub = await subscribe(['profile', 'meters/tick'], pw.env);
    const events: EventMessage[] = [];
    void (async () => { for await (const e of sub.events) events.push(e); })().catch(() => undefined);
    const json = async (args: string[]) => {
      const r = await headroom([...args, '--json'], pw.env);
      return { code: r.code, out: JSON.parse(r.stdout) as Record<string, unknown> };
    };

    // set: a negative number is a value; applied to the engine; persisted
    expect((await json(['set', 'agc.target_lufs', '-16'])).out).toMatchObject({ key: 'agc.target_lufs', value: -16, profileValue: -20, overridden: true });
    expect((await json(['get', 'agc.target_lufs'])).out).toMatchObject({ value: -16 });
    await poll('the engine at the new target', () => events.some((e) => e.topic === 'meters/tick' && (e.data as { agc: { targetLufs: number } }).agc.targetLufs === -16), 3000, 50);
    const saved = JSON.parse(readFileSync(path.join(pw.env.XDG_STATE_HOME!, 'headroom', 'settings.json'), 'utf8')) as { overrides: Record<string, Record<string, number>> };
    expect(saved.overrides.mine).toEqual({ 'agc.target_lufs': -16 });
    const bad = await headroom(['set', 'agc.target_lufs', '99'], pw.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('out of range [-40, -5]');
    const unknown = await headroom(['set', 'agc.nope', '1'], pw.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown setting "agc.nope"');
    const list = (await json(['settings'])).out as { settings: { key: string }[] };
    expect(list.settings.map((s) => s.key)).toContain('layer_a.threshold_lu');

    // a broken edit keeps the running profile, and says where
    writeFileSync(mine, 'description = "mine"\n[agc]\ntarget_lufs = "loud"\n');
    const failed = await poll('reload_failed', () => events.find((e) => e.topic === 'profile/reload_failed'), 5000, 50);
    expect(failed.data).toMatchObject({ profile: 'mine', file: mine, line: 3 });
    expect(String((failed.data as { reason: string }).reason)).toContain('agc.target_lufs must be a number');
    expect(((await json(['status'])).out.daemon as { profile: string }).profile).toBe('mine');
    // a good edit is taken
    writeFileSync(mine, 'description = "mine"\n[agc]\ntarget_lufs = -20.0\nmax_gain_db = 6.0\n');
    const changed = await poll('profile/changed', () => events.find((e) => e.topic === 'profile/changed' && (e.data as { reason: string }).reason === 'reload'), 5000, 50);
    expect(changed.data).toMatchObject({ profile: 'mine', changed: ['agc.max_gain_db'] });

    // profile use: live, remembered
    expect((await json(['profile', 'use', 'night'])).out).toEqual({ profile: 'night' });
    const profilesNow = (await json(['profile', 'list'])).out as { active: string; profiles: { name: string; active: boolean }[] };
    expect(profilesNow.active).toBe('night');
    expect(profilesNow.profiles.filter((p) => p.active).map((p) => p.name)).toEqual(['night']);
    expect(((await json(['profile', 'show'])).out as { settings: Record<string, number> }).settings['limiter.ceiling_dbtp']).toBe(-3);
    expect((await headroom(['profile', 'use', 'nonesuch'], pw.env)).code).toBe(2); // a name you can fix, as profile show says it

    // plugging in the headphones switches to their profile; unplugging comes back to night
    await pw.tool(['pw-cli', 'create-node', 'adapter', '{ factory.name=support.null-audio-sink node.name=phones media.class=Audio/Sink object.linger=true audio.position=[FL FR] }']);
    await poll('the phones sink', async () => (await pw.tool(['pw-dump'])).includes('"phones"'), 5000, 50);
    await pw.tool(['pw-metadata', '-n', 'default', '0', 'default.configured.audio.sink', '{"name":"phones"}', 'Spa:String:JSON']);
    await poll('the phones profile', async () => ((await json(['status'])).out.daemon as { profile: string }).profile === 'phones', 5000, 100).catch((e: Error) => {
      throw new Error(`${e.message}\ndaemon log (tail):\n${daemon.log().split('\n').slice(-25).join('\n')}`);
    });
    await pw.tool(['pw-metadata', '-n', 'default', '0', 'default.configured.audio.sink', `{"name":"${pw.speakers}"}`, 'Spa:String:JSON']);
    await poll('back to night', async () => ((await json(['status'])).out.daemon as { profile: string }).profile === 'night', 5000, 100);
    expect(events.filter((e) => e.topic === 'profile/changed').map((e) => (e.data as { profile: string; reason: string }))).toEqual(
      expect.arrayContaining([{ profile: 'phones', reason: 'device', changed: expect.any(Array) }, { profile: 'night', reason: 'device', changed: expect.any(Array) }]),
    );
    sub.close();

    // the next start runs the chosen profile
    daemon.proc.kill('SIGTERM');
    await daemon.proc;
    const again = session.daemon();
    await poll('headroom running again', () => again.log().includes('headroom running: profile night'), 10_000);
    again.proc.kill('SIGTERM');
    await again.proc;
  });
});
