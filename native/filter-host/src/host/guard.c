/* The onset guard (guard.h). Main thread only: it reads the taps' RT snapshots, as the
 * tick does, and sets the streams' gains through tap-gain.c. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "guard.h"

#define GUARD_PERIOD_NS 5000000L
/* A tap is young for its first 2 s of sound (HR_GUARD_YOUNG_SUBS), and at most this long
 * after it was armed (a stream that never plays does not keep the timer running). */
#define GUARD_ARMED_NS (30 * 1000000000ull)
/* After a cut, the meter's window (100 ms) and a cycle or two of the graph must pass
 * before the reading shows the new volume: 150 ms, and 200 ms of sound (a stream that
 * pauses right after a cut keeps a reading from before it). */
#define GUARD_HOLD_NS (150 * 1000000ull)
#define GUARD_HOLD_SUBS 40
/* The bus's blast watch is kept armed this far ahead while a tap is young (a few timer periods). */
#define GUARD_BLAST_WATCH_NS (50 * 1000000ull)
/* A first cut (HR_GUARD_FIRST_OVER_LU over the aim) is checked from when it can be heard in
 * the newest 20 ms until GUARD_CHECK_NS after it: a start still GUARD_CHECK_OVER_LU over the
 * aim then did not decay (hr_onset_guard_next). Measured, a cut shows in the tap 40-45 ms
 * after it is set on 0.3.65 and 83-90 ms after on 1.4 (quantum 1024): there the check may
 * read the start from before the cut, which is why a check cut is capped. */
#define GUARD_CHECK_HOLD_NS (70 * 1000000ull)
#define GUARD_CHECK_HOLD_SUBS 14
#define GUARD_CHECK_NS (300 * 1000000ull)
#define GUARD_CHECK_OVER_LU 1.0f
/* The check waits for the first cut to be heard (the newest 20 ms down by half the cut), at
 * most this long after it: at quantum 2048 on 1.4 a volume takes some 130 ms to reach the tap.
 * How long it took (some 10 ms more than the volume took to reach the tap, as half the 20 ms
 * must hold it) is the tap's latency from then on, within GUARD_LATENCY_MIN_NS and
 * GUARD_LATENCY_MAX_NS (the longest until it is measured). */
#define GUARD_HEARD_WAIT_NS (200 * 1000000ull)
#define GUARD_LATENCY_MIN_NS (60 * 1000000ull)
#define GUARD_LATENCY_MAX_NS (250 * 1000000ull)
/* A start that decayed by then is released (hr_onset_release_gain): its newest 20 ms are held
 * this far under the first cut's level (the bus's bridge acts over it), reckoned from the
 * lowest gain set within the tap's latency (0.3.65 shows a volume in the tap 40-45 ms after
 * it is set, 1.4.2 83-90 ms, quantum 1024), in steps of at least GUARD_STEP_DB, at most one
 * per GUARD_STEP_NS and GUARD_STEP_SUBS of new sound (a reading that stops, a stream paused,
 * moves nothing). A release louder again by GUARD_CHECK_OVER_LU is cut to the aim, and when
 * its sound ends the gain goes back to the cut (a later start never blasts). A later start of
 * a tap whose start was released (a notification that pings again on the same stream) is
 * judged as the first was: cut if it is over the guard, else (at the cut's level or under
 * it) checked as if just cut once the cut is heard, and released if it decays. A gain from
 * the supervisor ends a release (the law has taken over), not the judging of later starts so. */
#define GUARD_RELEASE_UNDER_LU 0.5f
#define GUARD_STEP_DB 0.5f
#define GUARD_STEP_NS (20 * 1000000ull)
#define GUARD_STEP_SUBS 4

static int armed(const hr_tap *t) { return t->used && t->gain.set && t->gain.guard_lufs > HR_LOUDNESS_FLOOR_LUFS; }

static void set_running(hr_guard *gd, int on)
{
	if (on == gd->running)
		return;
	struct timespec period = { 0, on ? GUARD_PERIOD_NS : 0 };
	pw_loop_update_timer(gd->loop, gd->timer, &period, &period, false);
	gd->running = on;
}

static void trail_push(hr_tap_gain_state *gs, float db, uint64_t now)
{
	uint32_t i = gs->trail_n++ % HR_GAIN_TRAIL;
	gs->trail_db[i] = db;
	gs->trail_ns[i] = now;
}

/* The lowest gain the tap's reading may have been made at: those set within the tap's
 * latency, and the one in force before them (at one change per GUARD_STEP_NS, the trail
 * holds more than GUARD_LATENCY_MAX_NS of them). */
_Static_assert(HR_GAIN_TRAIL * GUARD_STEP_NS > GUARD_LATENCY_MAX_NS, "the gain trail covers the longest latency");
static float heard_low(const hr_tap_gain_state *gs, uint64_t now)
{
	float low = gs->gain_db;
	uint32_t n = gs->trail_n < HR_GAIN_TRAIL ? gs->trail_n : HR_GAIN_TRAIL;
	for (uint32_t k = 1; k <= n; k++) {
		uint32_t i = (gs->trail_n - k) % HR_GAIN_TRAIL;
		if (gs->trail_db[i] < low)
			low = gs->trail_db[i];
		if (gs->trail_ns[i] + (gs->latency_ns ? gs->latency_ns : GUARD_LATENCY_MAX_NS) <= now)
			break; /* in force since before the window */
	}
	return low;
}

/* No change before ns have passed and subs of new sound have been heard: the last one is
 * still on its way to the meter. */
static void hold(hr_tap_gain_state *gs, uint64_t now, uint32_t heard, uint64_t ns, uint32_t subs)
{
	gs->hold_ns = now + ns;
	gs->hold_heard = heard + subs;
}

static int held(const hr_tap_gain_state *gs, const hr_tap_snapshot *s, uint64_t now)
{
	return now < gs->hold_ns || s->heard < gs->hold_heard;
}

/* A later start's check (restart) also waits for the gain in force to be heard. */
static int level_held(const hr_tap_gain_state *gs, const hr_tap_snapshot *s, uint64_t now)
{
	return gs->at_level && (now < gs->level_hold_ns || s->heard < gs->level_hold_heard);
}

static void set_gain(hr_guard *gd, hr_tap *t, float g, uint64_t now)
{
	t->gain.gain_db = g;
	t->gain.steps++;
	trail_push(&t->gain, g, now);
	hr_tap_apply_gain(gd->taps, t); /* a stream gone meanwhile: its tap goes next */
}

static void cut(hr_guard *gd, hr_tap *t, const hr_tap_snapshot *s, float g, double level, uint64_t now)
{
	hr_tap_gain_state *gs = &t->gain;
	int first = gs->cuts == 0;
	fprintf(stderr, "filter-host: onset guard: tap %u started at %.1f LUFS: gain %.1f -> %.1f dB\n", t->id, level,
		gs->gain_db, g);
	if (first) {
		gs->cut_from_lufs = s->recent;
		gs->check_until_ns = now + GUARD_CHECK_NS;
	}
	gs->cuts++;
	gs->cut_ns = now;
	gs->held_db = g;
	gs->releasing = 0;
	/* a first cut is checked as soon as it is heard (once the tap's latency is known, not
	 * before it has passed); after any other the meter's window must have seen it */
	uint64_t check_hold = gs->latency_ns > GUARD_CHECK_HOLD_NS ? gs->latency_ns : GUARD_CHECK_HOLD_NS;
	gs->at_level = 0;
	if (first)
		hold(gs, now, s->heard, check_hold, GUARD_CHECK_HOLD_SUBS);
	else
		hold(gs, now, s->heard, GUARD_HOLD_NS, GUARD_HOLD_SUBS);
	set_gain(gd, t, g, now);
}

/* A start after a pause, in a tap whose start was released before: judged as the first was,
 * the guard's first cut (hr_onset_guard_next) if it is over the guard, else where the cut
 * left it (at its level, or quieter: a softer ping), checked as a start just cut, once the
 * gain in force is heard (the check waits for the tap's latency after the last change, the
 * return to the cut at the end of the last sound); one that grows over the guard meanwhile
 * gets the first cut then (on_timer). */
static void restart(hr_tap_gain_state *gs, const hr_tap_snapshot *s, uint64_t now)
{
	gs->at_level = 0;
	if (!gs->released)
		return;
	gs->cuts = 0;
	if (s->fast > gs->guard_lufs)
		return;
	gs->cuts = 1;
	gs->at_level = 1;
	gs->cut_ns = now;
	gs->check_until_ns = now + GUARD_CHECK_NS;
	gs->cut_from_lufs = s->recent;
	uint64_t changed = gs->trail_n ? gs->trail_ns[(gs->trail_n - 1) % HR_GAIN_TRAIL] : 0;
	uint64_t heard_at = changed + (gs->latency_ns ? gs->latency_ns : GUARD_LATENCY_MAX_NS);
	gs->level_hold_ns = heard_at > now + GUARD_CHECK_HOLD_NS ? heard_at : now + GUARD_CHECK_HOLD_NS;
	gs->level_hold_heard = s->heard + GUARD_CHECK_HOLD_SUBS;
}

/* A released start: its gain follows the decay up, is cut if it grows loud again, and goes
 * back to the cut once the sound has ended. It rises up to the supervisor's gain, or for a
 * later start as high as an earlier release of the tap's went: the law took the cut over
 * meanwhile (`onset`) and lifts it at its own pace, which would leave a softer ping under it. */
static void release(hr_guard *gd, hr_tap *t, const hr_tap_snapshot *s, uint64_t now)
{
	hr_tap_gain_state *gs = &t->gain;
	if (!(s->recent > HR_LOUDNESS_FLOOR_LUFS)) {
		gs->releasing = 0;
		gs->quiet = 1;
		if (!gs->release_top_set || gs->gain_db > gs->release_top_db)
			gs->release_top_db = gs->gain_db;
		gs->release_top_set = 1;
		if (gs->gain_db != gs->held_db)
			set_gain(gd, t, gs->held_db, now);
		return;
	}
	if (held(gs, s, now))
		return;
	float low = heard_low(gs, now);
	double level = gs->aim_lufs + HR_GUARD_FIRST_OVER_LU - GUARD_RELEASE_UNDER_LU;
	if (s->recent > level + GUARD_CHECK_OVER_LU) {
		double g = hr_onset_guard_gain(s->recent, low, level, gs->aim_lufs, HR_TAP_GAIN_MIN_DB);
		cut(gd, t, s, (float)(g < gs->gain_db ? g : gs->gain_db), s->recent, now);
		return;
	}
	float ceiling = gs->release_top_set && gs->release_top_db > gs->set_db ? gs->release_top_db : gs->set_db;
	float g = (float)hr_onset_release_gain(s->recent, low, gs->gain_db, level, ceiling, GUARD_STEP_DB);
	if (g > gs->gain_db) {
		hold(gs, now, s->heard, GUARD_STEP_NS, GUARD_STEP_SUBS);
		set_gain(gd, t, g, now);
	}
}

static void on_timer(void *data, uint64_t expirations)
{
	hr_guard *gd = data;
	uint64_t now = hr_now_ns();
	int young = 0;
	for (int i = 0; i < HR_MAX_TAPS; i++) {
		hr_tap *t = &gd->taps->tap[i];
		hr_tap_gain_state *gs = &t->gain;
		if (!armed(t) || now - gs->armed_ns > GUARD_ARMED_NS)
			continue;
		const hr_tap_snapshot *s = hr_tap_read(t);
		if (s->heard >= HR_GUARD_YOUNG_SUBS)
			continue;
		young = 1;
		/* (a slot not yet published by the RT side reads as zeros: nothing measured) */
		if (s->calls == 0)
			continue;
		if (gs->releasing) {
			release(gd, t, s, now);
			continue;
		}
		if (!(s->recent > HR_LOUDNESS_FLOOR_LUFS)) {
			gs->quiet = 1;
			continue;
		}
		if (gs->quiet && s->fast > HR_LOUDNESS_FLOOR_LUFS) {
			gs->quiet = 0;
			restart(gs, s, now);
		}
		if (gs->at_level && s->fast > gs->guard_lufs) {
			/* a start checked at the cut's level grew over the guard: its first cut now
			 * (any other hold, a supervisor's cut meanwhile, still counts) */
			gs->at_level = 0;
			gs->cuts = 0;
			gs->check_until_ns = 0;
		}
		if (held(gs, s, now) || level_held(gs, s, now))
			continue;
		hr_guard_view v = {
			.fast = s->fast,
			.recent = s->recent,
			.gain_db = gs->gain_db,
			.guard_lufs = gs->guard_lufs,
			.aim_lufs = gs->aim_lufs,
			.cuts = gs->cuts,
			.checking = gs->cuts == 1 && now < gs->check_until_ns,
		};
		if (v.checking && !gs->latency_ns) {
			/* the first cut is judged once it is heard: until then the reading is the start's */
			double cut_db = gs->set_db - gs->held_db;
			uint64_t waited = now - gs->cut_ns;
			if (s->recent > gs->cut_from_lufs - cut_db / 2 && waited < GUARD_HEARD_WAIT_NS)
				continue;
			gs->latency_ns = waited < GUARD_LATENCY_MIN_NS ? GUARD_LATENCY_MIN_NS
				       : waited > GUARD_LATENCY_MAX_NS ? GUARD_LATENCY_MAX_NS : waited;
		}
		float g = (float)hr_onset_guard_next(&v, HR_GUARD_FIRST_OVER_LU, GUARD_CHECK_OVER_LU, HR_TAP_GAIN_MIN_DB);
		if (g < gs->gain_db)
			cut(gd, t, s, g, v.checking ? v.recent : v.fast, now);
		else if (v.checking && v.recent > HR_LOUDNESS_FLOOR_LUFS) {
			gs->releasing = 1; /* heard, and not loud: the start decays; its first step now */
			gs->released = 1;
			gs->at_level = 0;
			gs->check_until_ns = 0;
			release(gd, t, s, now);
		}
	}
	if (young) /* a young tap's start may come at any cycle: the bus watches for a blast meanwhile */
		hr_bus_arm_blast_watch(gd->taps->bus, now + GUARD_BLAST_WATCH_NS);
	else
		set_running(gd, 0);
}

int hr_guard_set_gain(hr_guard *gd, const hr_tap_gain *g)
{
	hr_tap *t = hr_taps_find(gd->taps, g->tap_id);
	if (t == NULL)
		return -ENOENT;
	hr_tap_gain_state *gs = &t->gain;
	int arm = !gs->set;
	uint64_t now = hr_now_ns();
	/* a gain sent before the guard's latest change was seen is older than it: where it would
	 * raise the gain, only its levels count (the guard's cut or release goes on) */
	int older = g->seen_steps < gs->steps && gs->gain_db <= g->gain_db;
	if (!older) {
		if (!arm && g->gain_db < gs->gain_db) {
			/* a cut from the supervisor: the reading holds the louder sound until it is
			 * heard, and cut on again it would be cut twice */
			hold(gs, now, hr_tap_read(t)->heard, GUARD_HOLD_NS, GUARD_HOLD_SUBS);
		}
		gs->set = 1;
		gs->gain_db = g->gain_db;
		gs->set_db = g->gain_db;
		gs->held_db = g->gain_db;
		gs->releasing = 0;
		trail_push(gs, g->gain_db, now);
	}
	gs->guard_lufs = g->guard_lufs;
	gs->aim_lufs = g->aim_lufs;
	if (arm)
		gs->armed_ns = now;
	atomic_store_explicit(&t->rt_aim_lufs, g->aim_lufs, memory_order_relaxed);
	atomic_store_explicit(&t->rt_guard_lufs, g->guard_lufs, memory_order_release);
	if (armed(t))
		set_running(gd, 1);
	return hr_tap_apply_gain(gd->taps, t);
}

int hr_guard_init(hr_guard *gd, struct pw_loop *loop, hr_taps *taps)
{
	gd->loop = loop;
	gd->taps = taps;
	gd->running = 0;
	gd->timer = pw_loop_add_timer(loop, on_timer, gd);
	return gd->timer ? 0 : -errno;
}

void hr_guard_fini(hr_guard *gd)
{
	if (gd->timer)
		pw_loop_destroy_source(gd->loop, gd->timer);
	gd->timer = NULL;
}
