/* The bus: the engine node's bus-in ports, fed by headroom-processed's monitor, through the
 * DSP chain to its bus-out ports, which feed the real sink (bus-links.c links both, passive).
 * The node runs after the sink and before the real sink in the same graph cycle: nothing is
 * added to the latency but the limiter's lookahead. The input's buffers are the sink's and
 * only read: the cycle's samples are copied into the output's buffers and processed there.
 * The chain runs at the rate the node runs at (the cycle's position; a new rate re-makes
 * the chain on the main thread, hr_bus_check_rate). Nothing keeps the real device awake:
 * when no app plays into the sink, the node and its links are passive. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "rt_trap.h"
#include "barrier.h"

/* While the onset bridge cuts, and for 400 ms after (the momentary window), the AGC holds. */
#define BRIDGE_AGC_HOLD_BLOCKS 4
/* A jump: a cycle's input 6 dB over the recent input (smoothed over 300 ms; -100 dBFS at
 * the least, so a start from silence counts) and 4 LU over the AGC's target, in the 3 s
 * after an app's stream appeared, is cut to the target + 2 LU for 60 ms. */
#define JUMP_ARMED_NS (3 * 1000000000ull)
#define JUMP_RECENT_S 0.3
#define JUMP_FLOOR_MEAN_SQUARE 1e-10
#define JUMP_RATIO 3.98
#define JUMP_OVER_LU 4.0
/* While a tap is young, only a blast: 6 LU over the target. */
#define BLAST_OVER_LU 6.0
#define JUMP_AIM_LU 2.0
#define JUMP_HOLD_MS 60
#define SAMPLE ((uint32_t)sizeof(float))
#define bus_emit(b, m, ...) spa_hook_list_call(&(b)->listeners, struct hr_bus_events, m, 0, ##__VA_ARGS__)

static inline float lufs_f(double v) { return (float)v; }

static uint32_t elapsed_us(const struct timespec *a, const struct timespec *b)
{
	uint64_t from = hr_timespec_ns(a), to = hr_timespec_ns(b);
	return to > from ? (uint32_t)((to - from) / 1000) : 0;
}

/* RT: meters, gains and timing of this call, for the main loop's next tick. */
static void publish(hr_bus *bus, hr_chain *ch, uint32_t frames, uint32_t us)
{
	hr_timing *t = &bus->rt.timing;
	t->calls++;
	t->sum_us += us;
	if (us > t->max_us)
		t->max_us = us;
	if (us > HR_SPIKE_US) {
		t->spikes++;
		t->last_spike_us = us;
		t->last_spike_at_call = t->calls;
	}

	/* integrated loudness scans the gating histogram: once per 100 ms block is enough */
	uint64_t block = ch->out_meter.subs_done / (uint64_t)ch->out_meter.subs_per_block;
	if (block != bus->rt.last_block) {
		bus->rt.last_block = block;
		bus->rt.in_i = lufs_f(hr_meter_integrated(&ch->in_meter));
		bus->rt.out_i = lufs_f(hr_meter_integrated(&ch->out_meter));
	}

	hr_chain_stats st;
	hr_chain_stats_get(ch, &st);
	hr_bus_snapshot *s = hr_latest_back(&bus->latest);
	s->in_m = lufs_f(hr_meter_momentary(&ch->in_meter));
	s->in_s = lufs_f(hr_meter_short_term(&ch->in_meter));
	s->in_i = bus->rt.in_i;
	s->out_m = lufs_f(hr_meter_momentary(&ch->out_meter));
	s->out_s = lufs_f(hr_meter_short_term(&ch->out_meter));
	s->out_i = bus->rt.out_i;
	s->tp_in = hr_meter_tick_peak(&ch->in_meter);
	s->tp_out = hr_meter_tick_peak(&ch->out_meter);
	s->agc_gain_db = (float)st.agc_gain_db;
	s->agc_target_lufs = (float)ch->params[HR_P_AGC_TARGET_LUFS];
	s->comp_gr_db = (float)st.compressor_reduction_db;
	s->lim_gr_db = (float)st.limiter_reduction_db;
	s->quantum = frames;
	s->bypass = (uint32_t)st.bypass;
	s->underruns = bus->rt.underruns;
	s->window = bus->rt.seen_window;
	s->timing = *t;
	hr_latest_publish(&bus->latest);
}

/* RT: a cycle's input that jumps (a new app starting loud) while armed: the cut (dB, <= 0)
 * that brings it to the AGC's target + 2 LU, held for JUMP_HOLD_MS. Unweighted, stereo:
 * LUFS ~ 10 log10(mean square) + 2.3 (K-weighting aside, a protective estimate). */
static float jump_cut(hr_bus *bus, hr_chain *ch, float *const *x, uint32_t frames, uint64_t now_ns)
{
	double e = 0.0;
	for (int c = 0; c < HR_BUS_CHANNELS; c++)
		for (uint32_t i = 0; i < frames; i++)
			e += (double)x[c][i] * x[c][i];
	e /= (double)frames * HR_BUS_CHANNELS;
	double recent = bus->bridge.recent;
	double alpha = (double)frames / (JUMP_RECENT_S * ch->rate);
	bus->bridge.recent = recent + (e - recent) * (alpha < 1.0 ? alpha : 1.0);
	double least = now_ns < atomic_load_explicit(&bus->armed_until_ns, memory_order_relaxed)	? JUMP_OVER_LU
		       : now_ns < atomic_load_explicit(&bus->blast_armed_until_ns, memory_order_relaxed) ? BLAST_OVER_LU
												 : 0.0;
	if (least > 0.0 && e > 0.0 && e > (recent + JUMP_FLOOR_MEAN_SQUARE) * JUMP_RATIO) {
		double level = 10.0 * log10(e) + 2.3 + ch->agc.gain_db;
		double over = level - ch->params[HR_P_AGC_TARGET_LUFS];
		if (over > least) {
			float cut = (float)(JUMP_AIM_LU - over);
			bus->bridge.jump_db = cut < bus->bridge.jump_db ? cut : bus->bridge.jump_db;
			bus->bridge.jump_frames = (int64_t)ch->rate * JUMP_HOLD_MS / 1000;
			return bus->bridge.jump_db;
		}
	}
	if (bus->bridge.jump_frames > 0 && (bus->bridge.jump_frames -= frames) <= 0)
		bus->bridge.jump_db = 0.0f;
	return bus->bridge.jump_frames > 0 ? bus->bridge.jump_db : 0.0f;
}

/* RT: the onset bridge (bus.h) on the chain's input: the deeper of a young tap's cut and a
 * jump's, down within a millisecond, back up over 10 ms; only ever a cut, and none while
 * bypassed (unprocessed means unprocessed). While it cuts, the AGC holds: the loud start is
 * being dealt with, and the app is about to be cut alone. */
static void bridge(hr_bus *bus, hr_chain *ch, float *const *x, uint32_t frames, uint64_t now_ns)
{
	float db = atomic_load_explicit(&bus->bridge_db, memory_order_relaxed);
	float jump = jump_cut(bus, ch, x, frames, now_ns);
	db = jump < db ? jump : db;
	if (ch->bypass_target > 0.0f)
		db = 0.0f;
	float want = db < -0.05f ? powf(10.0f, db / 20.0f) : 1.0f;
	float g = bus->bridge.gain;
	if (g == 1.0f && want == 1.0f)
		return;
	if (want < 1.0f)
		hr_chain_hold_agc(ch, BRIDGE_AGC_HOLD_BLOCKS);
	uint32_t ramp = (uint32_t)(want < g ? ch->rate / 1000 : ch->rate / 100);
	if (ramp == 0 || ramp > frames)
		ramp = frames;
	float step = (want - g) / (float)ramp;
	for (uint32_t i = 0; i < frames; i++) {
		float gi = i < ramp ? g + step * (float)(i + 1) : want;
		for (int c = 0; c < HR_BUS_CHANNELS; c++)
			x[c][i] *= gi;
	}
	bus->bridge.gain = want;
}

void hr_bus_process(hr_bus *bus, struct spa_io_position *position, const struct timespec *t0)
{
	struct timespec t1;
	hr_rt_trap_selftest_maybe_alloc();
	hr_chain *ch = atomic_load_explicit(&bus->active, memory_order_acquire);
	uint32_t rate = position ? position->clock.rate.denom : 0;
	if (atomic_load_explicit(&bus->rt_pick, memory_order_relaxed) && rate != 0 && (uint32_t)ch->rate != rate) {
		hr_chain *other = ch == &bus->chains[0] ? &bus->chains[1] : &bus->chains[0];
		if ((uint32_t)other->rate == rate) {
			atomic_store_explicit(&bus->active, other, memory_order_release);
			ch = other;
		}
	}
	/* a tick went out: the peaks it reported are done with, this call starts new windows */
	uint32_t gen = atomic_load_explicit(&bus->window, memory_order_acquire);
	if (gen != bus->rt.seen_window) {
		bus->rt.seen_window = gen;
		hr_meter_take_tick_peak(&ch->in_meter);
		hr_meter_take_tick_peak(&ch->out_meter);
	}

	/* the cycle's input, as much as the channels that have one brought (a channel without
	 * one is silence; none at all: the cycle's length of silence, counted) */
	const float *src[HR_BUS_CHANNELS];
	uint32_t got = UINT32_MAX;
	for (int c = 0; c < HR_BUS_CHANNELS; c++) {
		uint32_t f = 0;
		if ((src[c] = hr_node_input(bus->in[c], &f)) != NULL)
			got = SPA_MIN(got, f);
	}
	got = got == UINT32_MAX ? 0 : SPA_MIN(got, (uint32_t)HR_MAX_QUANTUM);
	uint32_t cycle = position ? (uint32_t)position->clock.duration : 0;
	uint32_t frames = got > 0 ? got : SPA_MIN(cycle > 0 ? cycle : bus->rt.last_frames, (uint32_t)HR_MAX_QUANTUM);
	/* the chain runs in the output's buffers; a channel without one runs in a buffer of the
	 * bus's own */
	float *out[HR_BUS_CHANNELS], *dst[HR_BUS_CHANNELS];
	int outs = 0;
	for (int c = 0; c < HR_BUS_CHANNELS; c++) {
		out[c] = frames > 0 ? hr_node_output(bus->out[c], frames) : NULL;
		dst[c] = out[c] != NULL ? out[c] : bus->rt.spare[c];
		outs += out[c] != NULL;
	}
	/* nowhere to play (not linked): nothing to play, nothing metered */
	if (outs == 0) {
		bus->rt.underruns += got > 0;
		return;
	}
	for (int c = 0; c < HR_BUS_CHANNELS; c++) {
		if (got > 0 && src[c] != NULL)
			memcpy(dst[c], src[c], got * SAMPLE);
		else
			memset(dst[c], 0, frames * SAMPLE);
	}
	if (got == 0)
		bus->rt.underruns++;
	else
		bus->rt.last_frames = got;
	if (HR_RUN_DSP && got > 0)
		bridge(bus, ch, dst, frames, hr_timespec_ns(t0));
	if (HR_RUN_DSP)
		hr_chain_process_planar(ch, (const float *const *)dst, dst, (int)frames);
	/* one channel linked (a mono sink): both into it, at half each (never over the ceiling,
	 * unlike their sum) */
	uint32_t linked = atomic_load_explicit(&bus->out_linked, memory_order_relaxed);
	if (linked == 1u || linked == 2u) {
		float *mono = dst[linked == 1u ? 0 : 1];
		for (uint32_t i = 0; i < frames; i++)
			mono[i] = 0.5f * (dst[0][i] + dst[1][i]);
	}

	clock_gettime(CLOCK_MONOTONIC, &t1);
	publish(bus, ch, frames, elapsed_us(t0, &t1));
}

/* Main thread: a fresh chain for a new rate, swapped in whole (no half-updated state is
 * ever seen by the RT side), continuing at the old one's AGC gain, compressor and limiter
 * reduction, faded in from silence; the first one starts at --initial-gain-db,
 * --initial-compressor-db and --initial-limiter-db (a restarted filter-host continues
 * where its predecessor was). */
static int prepare_chain(hr_bus *bus, hr_chain *ch, uint32_t rate, double gain_db, double comp_db, double lim_db)
{
	int r = hr_chain_init(ch, (int)rate, HR_BUS_CHANNELS, NULL);
	if (r < 0)
		return r;
	for (int i = 0; i < HR_P__COUNT; i++)
		hr_chain_set_param(ch, i, bus->params[i]);
	hr_chain_set_bypass(ch, bus->bypass);
	hr_chain_reset(ch);
	hr_chain_continue(ch, gain_db, comp_db, lim_db, HR_SPLICE_FADE_MS);
	return 0;
}

static int switch_rate(hr_bus *bus, uint32_t rate)
{
	hr_chain *old = atomic_load(&bus->active);
	hr_chain *spare = old == &bus->chains[0] ? &bus->chains[1] : &bus->chains[0];
	const hr_bus_snapshot *was = hr_latest_read(&bus->latest);
	int r = prepare_chain(bus, spare, rate, was->agc_gain_db, was->comp_gr_db, was->lim_gr_db);
	if (r < 0)
		return r;
	atomic_store_explicit(&bus->active, spare, memory_order_release);
	hr_data_barrier(bus->data_loop);
	return 0;
}

/* Main thread (the tick): the chain follows the rate the node runs at. */
void hr_bus_check_rate(hr_bus *bus)
{
	uint32_t rate = hr_node_rate(bus->node);
	if (rate == 0 || rate == bus->rate || rate == bus->bad_rate)
		return;
	/* the node has run: from now on only the main thread switches chains */
	if (atomic_load_explicit(&bus->rt_pick, memory_order_relaxed)) {
		atomic_store_explicit(&bus->rt_pick, 0, memory_order_relaxed);
		hr_data_barrier(bus->data_loop);
	}
	if ((uint32_t)atomic_load(&bus->active)->rate != rate && switch_rate(bus, rate) < 0) {
		bus->bad_rate = rate; /* said once */
		bus_emit(bus, error, "unsupported sample rate");
		return;
	}
	bus->rate = rate;
	bus_emit(bus, format_changed, rate, HR_BUS_CHANNELS);
}

int hr_bus_start(hr_bus *bus)
{
	int r;
	/* a chain at 48 kHz and one at 44.1 kHz: the first cycle takes the one at its rate (the
	 * graph's rate is known only then), so the first sound is whole at either; any other
	 * rate waits for the tick (hr_bus_check_rate) */
	for (int i = 0; i < 2; i++)
		if ((r = prepare_chain(bus, &bus->chains[i], i == 0 ? 48000 : 44100, bus->initial_gain_db,
				       bus->initial_comp_gr_db, bus->initial_lim_gr_db)) < 0)
			return r;
	atomic_store(&bus->active, &bus->chains[0]);
	atomic_store(&bus->rt_pick, 1);
	for (int c = 0; c < HR_BUS_CHANNELS; c++) {
		char name[32];
		snprintf(name, sizeof(name), "bus-in-%s", hr_channel_name[c]);
		if ((bus->in[c] = hr_node_add_port(bus->node, PW_DIRECTION_INPUT, name, hr_channel_name[c])) == NULL)
			return -errno;
		snprintf(name, sizeof(name), "bus-out-%s", hr_channel_name[c]);
		if ((bus->out[c] = hr_node_add_port(bus->node, PW_DIRECTION_OUTPUT, name, hr_channel_name[c])) == NULL)
			return -errno;
	}
	return 0;
}

/* The graph: the bus's links are made again when one is missing. */
static void on_links_changed(void *data)
{
	hr_bus_links_sync(data);
	hr_bus_check_target(data);
}

static void on_ports_changed(void *data) { hr_bus_links_sync(data); }

/* An app's new stream: its first cycles may be loud before any tap hears it. */
static void on_node_added(void *data, const hr_node_info *node)
{
	hr_bus *bus = data;
	hr_bus_links_sync(bus);
	if (!node->app_stream)
		return;
	atomic_store_explicit(&bus->armed_until_ns, hr_now_ns() + JUMP_ARMED_NS, memory_order_relaxed);
}

void hr_bus_arm_blast_watch(hr_bus *b, uint64_t until_ns)
{
	atomic_store_explicit(&b->blast_armed_until_ns, until_ns, memory_order_relaxed);
}

static const struct hr_graph_events graph_events = {
	HR_VERSION_GRAPH_EVENTS,
	.node_added = on_node_added,
	.ports_changed = on_ports_changed,
	.links_changed = on_links_changed,
};

void hr_bus_init(hr_bus *bus, struct pw_core *core, struct pw_loop *data_loop, hr_graph *graph, hr_node *node,
		 const char *target, double gain_db, double comp_gr_db, double lim_gr_db)
{
	bus->core = core;
	bus->node = node;
	bus->link_owner = (hr_link_owner){ .core = core, .graph = graph, .what = "bus", .tag = "bus-link", .passive = 1,
					   .failures = &bus->link_failures };
	bus->data_loop = data_loop;
	bus->graph = graph;
	snprintf(bus->target, sizeof(bus->target), "%s", target);
	bus->initial_gain_db = gain_db;
	bus->initial_comp_gr_db = comp_gr_db;
	bus->initial_lim_gr_db = lim_gr_db;
	hr_latest_init(&bus->latest);
	/* until audio flows, the meter reports the gain the chain will start at: a restart
	 * that follows one which never played must not forget its predecessor's gain */
	for (int i = 0; i < 3; i++) {
		bus->latest.slot[i].agc_gain_db = (float)gain_db;
		bus->latest.slot[i].comp_gr_db = (float)comp_gr_db;
		bus->latest.slot[i].lim_gr_db = (float)lim_gr_db;
	}
	bus->linked_target = SPA_ID_INVALID;
	/* commands may come before the node exists: they are kept here, and the chains are
	 * made with them (hr_bus_start) */
	hr_params_defaults(bus->params);
	atomic_store(&bus->active, NULL);
	atomic_store(&bus->bridge_db, 0.0f);
	atomic_store(&bus->armed_until_ns, 0);
	atomic_store(&bus->blast_armed_until_ns, 0);
	bus->bridge.gain = 1.0f;
	spa_hook_list_init(&bus->listeners);
	hr_graph_add_listener(graph, &bus->graph_listener, &graph_events, bus);
}

void hr_bus_add_listener(hr_bus *bus, struct spa_hook *listener, const struct hr_bus_events *events, void *data)
{
	spa_hook_list_append(&bus->listeners, listener, events, data);
}

void hr_bus_fini(hr_bus *bus)
{
	spa_hook_remove(&bus->graph_listener);
	hr_links_clear(bus->links, HR_BUS_LINKS);
}

/* A new output device: the bus's output is linked there instead. The chain carries on. */
void hr_bus_set_target(hr_bus *bus, const char *name)
{
	snprintf(bus->target, sizeof(bus->target), "%s", name);
	hr_bus_links_sync(bus);
}

struct param_msg {
	int id;
	double value;
};

/* Data loop: the chain the first cycle may take instead of the active one. */
static hr_chain *pickable(hr_bus *bus)
{
	hr_chain *ch = atomic_load_explicit(&bus->active, memory_order_acquire);
	return ch == &bus->chains[0] ? &bus->chains[1] : &bus->chains[0];
}

static int do_set_param(struct spa_loop *loop, bool async, uint32_t seq, const void *data, size_t size, void *user)
{
	hr_bus *bus = user;
	const struct param_msg *m = data;
	HR_RT_ENTER();
	hr_chain_set_param(atomic_load_explicit(&bus->active, memory_order_acquire), m->id, m->value);
	if (atomic_load_explicit(&bus->rt_pick, memory_order_relaxed)) /* the other may be taken */
		hr_chain_set_param(pickable(bus), m->id, m->value);
	HR_RT_LEAVE();
	return 0;
}

int hr_bus_set_param(hr_bus *bus, int id, double value)
{
	struct param_msg m = { id, value };
	bus->params[id] = value;
	if (atomic_load(&bus->active) == NULL) /* no chain yet: it will be made with the value */
		return 0;
	return pw_loop_invoke(bus->data_loop, do_set_param, 0, &m, sizeof(m), false, bus);
}

static int do_set_bypass(struct spa_loop *loop, bool async, uint32_t seq, const void *data, size_t size, void *user)
{
	hr_bus *bus = user;
	HR_RT_ENTER();
	hr_chain_set_bypass(atomic_load_explicit(&bus->active, memory_order_acquire), *(const int *)data);
	if (atomic_load_explicit(&bus->rt_pick, memory_order_relaxed))
		hr_chain_set_bypass(pickable(bus), *(const int *)data);
	HR_RT_LEAVE();
	return 0;
}

void hr_bus_set_bypass(hr_bus *bus, int on)
{
	bus->bypass = on;
	if (atomic_load(&bus->active) == NULL)
		return;
	pw_loop_invoke(bus->data_loop, do_set_bypass, 0, &on, sizeof(on), false, bus);
}

/* The bus output's link state: target_changed when it starts or stops feeding a sink. */
void hr_bus_check_target(hr_bus *bus)
{
	atomic_store_explicit(&bus->out_linked, hr_bus_links_outputs(bus), memory_order_relaxed);
	uint32_t target = hr_graph_linked_from(bus->graph, hr_node_id(bus->node));
	uint32_t was = bus->linked_target;
	if (target == was)
		return;
	bus->linked_target = target;
	bus_emit(bus, target_changed, was, target);
}

void hr_bus_describe(hr_bus *bus, hr_frame_ready *f)
{
	f->rate = bus->rate;
	f->quantum = hr_latest_read(&bus->latest)->quantum;
	f->channels = HR_BUS_CHANNELS;
	f->latency_frames = (uint32_t)atomic_load(&bus->active)->lim.latency;
	f->capture_id = f->playback_id = hr_node_id(bus->node);
}

const hr_bus_snapshot *hr_bus_read(hr_bus *bus) { return hr_latest_read(&bus->latest); }

void hr_bus_new_window(hr_bus *bus) { atomic_fetch_add_explicit(&bus->window, 1, memory_order_release); }
