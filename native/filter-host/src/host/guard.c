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

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int armed(const hr_tap *t) { return t->used && t->gain.set && t->gain.guard_lufs > HR_LOUDNESS_FLOOR_LUFS; }

static void set_running(hr_guard *gd, int on)
{
	if (on == gd->running)
		return;
	struct timespec period = { 0, on ? GUARD_PERIOD_NS : 0 };
	pw_loop_update_timer(gd->loop, gd->timer, &period, &period, false);
	gd->running = on;
}

static void on_timer(void *data, uint64_t expirations)
{
	hr_guard *gd = data;
	uint64_t now = now_ns();
	int young = 0;
	for (int i = 0; i < HR_MAX_TAPS; i++) {
		hr_tap *t = &gd->taps->tap[i];
		if (!armed(t) || now - t->gain.armed_ns > GUARD_ARMED_NS)
			continue;
		const hr_tap_snapshot *s = hr_tap_read(t);
		if (s->heard >= HR_GUARD_YOUNG_SUBS)
			continue;
		young = 1;
		/* (a slot not yet published by the RT side reads as zeros: nothing measured) */
		if (s->calls == 0 || now < t->gain.hold_ns || s->heard < t->gain.hold_heard)
			continue;
		hr_guard_view v = {
			.fast = s->fast,
			.recent = s->recent,
			.gain_db = t->gain.gain_db,
			.guard_lufs = t->gain.guard_lufs,
			.aim_lufs = t->gain.aim_lufs,
			.cuts = t->gain.guard_cuts,
			.checking = t->gain.guard_cuts == 1 && now < t->gain.cut_ns + GUARD_CHECK_NS,
		};
		float g = (float)hr_onset_guard_next(&v, HR_GUARD_FIRST_OVER_LU, GUARD_CHECK_OVER_LU, HR_TAP_GAIN_MIN_DB);
		if (g >= t->gain.gain_db)
			continue;
		int first = v.cuts == 0;
		fprintf(stderr, "filter-host: onset guard: tap %u started at %.1f LUFS: gain %.1f -> %.1f dB\n", t->id,
			v.checking ? v.recent : v.fast, t->gain.gain_db, g);
		t->gain.gain_db = g;
		t->gain.guard_cuts++;
		t->gain.cut_ns = now;
		/* a first cut is checked as soon as it is heard; after any other the meter's window
		 * must have seen it */
		t->gain.hold_ns = now + (first ? GUARD_CHECK_HOLD_NS : GUARD_HOLD_NS);
		t->gain.hold_heard = s->heard + (first ? GUARD_CHECK_HOLD_SUBS : GUARD_HOLD_SUBS);
		hr_tap_apply_gain(gd->taps, t); /* a stream gone meanwhile: its tap goes next */
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
	int arm = !t->gain.set;
	/* a guard cut the sender had not seen yet stands: its gain is older than the cut */
	float gain = g->seen_cuts < t->gain.guard_cuts && t->gain.gain_db < g->gain_db ? t->gain.gain_db : g->gain_db;
	t->gain.set = 1;
	t->gain.gain_db = gain;
	t->gain.guard_lufs = g->guard_lufs;
	t->gain.aim_lufs = g->aim_lufs;
	if (arm)
		t->gain.armed_ns = now_ns();
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
