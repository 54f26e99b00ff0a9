/* Every 100 ms: a frame per tap whose reading changed, then the bus meter that closes the
 * tick (a reader acting on the meter frame has this tick's tap readings), composed from the
 * RT snapshots and written in one go: one wakeup of the reader per tick, not one per frame.
 * A tick that has nothing new (silence, nothing playing) writes nothing, except once a
 * second: an idle headroom wakes its supervisor once a second, not ten times. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "tick.h"

/* Whether a reading the same as the last one written is left out this tick (it is written
 * every HR_REPEAT_TICKS-th tick regardless); counts the ticks since the last write. */
static int hold_back(uint32_t *ticks_unsent, int same)
{
	if (same && *ticks_unsent > 0 && *ticks_unsent < HR_REPEAT_TICKS) {
		(*ticks_unsent)++;
		return 1;
	}
	*ticks_unsent = 1;
	return 0;
}

/* Counts a tick with (fresh) or without new processing; true while not idle (HR_IDLE_TICKS). */
static int still_active(uint32_t *idle_ticks, int fresh)
{
	if (fresh)
		*idle_ticks = 0;
	else if (*idle_ticks < HR_IDLE_TICKS)
		(*idle_ticks)++;
	return *idle_ticks < HR_IDLE_TICKS;
}

static float peak_db(float lin) { return lin > 0.0f ? 20.0f * log10f(lin) : (float)HR_LOUDNESS_FLOOR_LUFS; }

/* the readings are compared with memcmp: no padding in the frame */
_Static_assert(sizeof(hr_frame_tap) == 2 * sizeof(uint32_t) + sizeof(uint64_t) + 4 * sizeof(float) + 2 * sizeof(uint32_t),
	       "hr_frame_tap has padding");

/* The TAP frames of this tick; the number written. */
static int write_taps(hr_tick *tk)
{
	int written = 0, any_fresh = 0;
	uint32_t window = atomic_load(&tk->taps->window);
	for (int i = 0; i < HR_MAX_TAPS; i++) {
		hr_tap *t = &tk->taps->tap[i];
		if (!t->used || !t->announced)
			continue;
		const hr_tap_snapshot *s = hr_tap_read(t);
		int fresh = s->calls != t->last_calls;
		any_fresh |= fresh;
		t->last_calls = s->calls;
		int active = still_active(&t->idle_ticks, fresh);
		hr_frame_tap f = {
			.tap_id = t->id, .node_id = t->node_id, .stream_serial = t->stream_serial,
			.m = active ? s->m : (float)HR_LOUDNESS_FLOOR_LUFS,
			.s = active ? s->s : (float)HR_LOUDNESS_FLOOR_LUFS,
			.peak_db = fresh && s->window == window && s->peak > 0.0f ? 20.0f * log10f(s->peak)
										  : (float)HR_LOUDNESS_FLOOR_LUFS,
			.flags = active ? HR_METER_FLAG_ACTIVE : 0,
			.gain_db = t->gain.gain_db,
			.guard_steps = t->gain.steps,
		};
		/* an unchanged reading (a silent or paused stream) is repeated once a second only */
		if (hold_back(&t->ticks_unsent, memcmp(&f, &t->sent, sizeof(f)) == 0))
			continue;
		t->sent = f;
		hr_output_tap(tk->out, &f);
		written++;
	}
	/* no tap was metered (their apps went quiet or away): no bridge is left on */
	if (!any_fresh)
		atomic_store_explicit(&tk->taps->bus->bridge_db, 0.0f, memory_order_relaxed);
	return written;
}

/* The bus's METER reading of this tick. */
static void bus_meter(hr_tick *tk, hr_frame_meter *f)
{
	hr_bus *bus = tk->bus;
	const hr_bus_snapshot *s = hr_bus_read(bus);
	int fresh = s->timing.calls != tk->bus_last_calls;
	tk->bus_last_calls = s->timing.calls;
	/* an idle bus (nothing plays into it) reports no momentary or short-term loudness, not
	 * the last it heard; integrated is the whole programme's and stays */
	int active = still_active(&tk->bus_idle_ticks, fresh);
	/* a window the RT side has not refreshed since the last tick saw no audio */
	int peaks = fresh && s->window == atomic_load(&bus->window);
	*f = (hr_frame_meter){
		.in_m = s->in_m, .in_s = s->in_s, .in_i = s->in_i,
		.out_m = s->out_m, .out_s = s->out_s, .out_i = s->out_i,
		.tp_in = peaks ? peak_db(s->tp_in) : (float)HR_LOUDNESS_FLOOR_LUFS,
		.tp_out = peaks ? peak_db(s->tp_out) : (float)HR_LOUDNESS_FLOOR_LUFS,
		.agc_gain_db = s->agc_gain_db, .agc_target_lufs = (float)bus->params[HR_P_AGC_TARGET_LUFS],
		.comp_gr_db = s->comp_gr_db, .lim_gr_db = s->lim_gr_db,
		.rate = bus->rate, .quantum = s->quantum,
		.flags = (bus->bypass ? HR_METER_FLAG_BYPASS : 0) | (active ? HR_METER_FLAG_ACTIVE : 0) |
			 (bus->linked_target != SPA_ID_INVALID ? HR_METER_FLAG_TARGET_LINKED : 0),
		.underruns = s->underruns,
		.timing = s->timing,
	};
	if (s->timing.calls == 0) /* nothing measured yet */
		f->in_m = f->in_s = f->in_i = f->out_m = f->out_s = f->out_i = (float)HR_LOUDNESS_FLOOR_LUFS;
	else if (!active)
		f->in_m = f->in_s = f->out_m = f->out_s = (float)HR_LOUDNESS_FLOOR_LUFS;
}

/* Whether two meter readings say the same, the running call counters aside. */
static int same_reading(const hr_frame_meter *a, const hr_frame_meter *b)
{
	return a->in_m == b->in_m && a->in_s == b->in_s && a->in_i == b->in_i && a->out_m == b->out_m &&
	       a->out_s == b->out_s && a->out_i == b->out_i && a->tp_in == b->tp_in && a->tp_out == b->tp_out &&
	       a->agc_gain_db == b->agc_gain_db && a->agc_target_lufs == b->agc_target_lufs &&
	       a->comp_gr_db == b->comp_gr_db && a->lim_gr_db == b->lim_gr_db && a->rate == b->rate &&
	       a->quantum == b->quantum && a->flags == b->flags && a->underruns == b->underruns &&
	       a->timing.max_us == b->timing.max_us && a->timing.spikes == b->timing.spikes;
}

static void on_tick(void *data, uint64_t expirations)
{
	hr_tick *tk = data;
	hr_frame_meter m;
	hr_bus_check_rate(tk->bus);
	hr_taps_check_rate(tk->taps);
	int taps = write_taps(tk);
	bus_meter(tk, &m);
	if (!hold_back(&tk->meter_ticks_unsent, taps == 0 && same_reading(&m, &tk->meter_sent))) {
		tk->meter_sent = m;
		hr_output_meter(tk->out, &m);
	}
	/* the RT side restarts its peak windows when it sees a new generation */
	hr_taps_new_window(tk->taps);
	hr_bus_new_window(tk->bus);
}

int hr_tick_init(hr_tick *tk, struct pw_loop *loop, hr_output *out, hr_bus *bus, hr_taps *taps)
{
	struct timespec interval = { 0, HR_TICK_MS * 1000000L };
	tk->loop = loop;
	tk->out = out;
	tk->bus = bus;
	tk->taps = taps;
	tk->timer = pw_loop_add_timer(loop, on_tick, tk);
	if (tk->timer == NULL)
		return -errno;
	return pw_loop_update_timer(loop, tk->timer, &interval, &interval, false);
}

void hr_tick_fini(hr_tick *tk)
{
	if (tk->timer)
		pw_loop_destroy_source(tk->loop, tk->timer);
	tk->timer = NULL;
}
