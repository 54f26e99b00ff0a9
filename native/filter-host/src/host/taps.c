/* Taps (taps.h): a slot's ports are DSP ports on the engine node (the graph's own format,
 * no converter, the graph's rate, which the tick hands to the meters). The tap runs the
 * meter only (momentary, short-term, sample peak). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "barrier.h"
#include "taps.h"

#define taps_emit(ts, m, ...) spa_hook_list_call(&(ts)->listeners, struct hr_taps_events, m, 0, ##__VA_ARGS__)

hr_tap *hr_taps_find(hr_taps *ts, uint32_t id)
{
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (ts->tap[i].used && ts->tap[i].id == id)
			return &ts->tap[i];
	return NULL;
}

/* RT: the cut (dB, <= 0) a young tap's loud start asks of the whole bus until its own
 * volume is cut (bus.h, the onset bridge), as far as brings its newest 20 ms to the first
 * cut's aim (HR_GUARD_FIRST_OVER_LU over the aim):
 * while those are over the guard and its onset reading is too, or at once (from 10 ms of
 * sound) when they are far over it — a blast, not a loud word. */
static float bridge_cut(hr_tap *t, float fast, float recent)
{
	float guard = atomic_load_explicit(&t->rt_guard_lufs, memory_order_acquire);
	if (!(guard > (float)HR_LOUDNESS_FLOOR_LUFS) || t->onset.heard >= HR_GUARD_YOUNG_SUBS)
		return 0.0f;
	if (!(recent > guard + HR_BRIDGE_BLAST_LU) && !(recent > guard && fast > guard))
		return 0.0f;
	return atomic_load_explicit(&t->rt_aim_lufs, memory_order_relaxed) + HR_GUARD_FIRST_OVER_LU - recent;
}

/* RT: meters the slots that have sound this cycle two at a time (one pass of the
 * K-weighting for both: hr_meter_process2). */
static void meter_slots(hr_tap *const *t, const float *const (*planes)[HR_BUS_CHANNELS], const uint32_t *frames, int n)
{
	for (int k = 0; k < n; k++) {
		if (k + 1 < n && frames[k + 1] == frames[k]) {
			int blocks;
			hr_meter_process2(&t[k]->meter, planes[k], &t[k + 1]->meter, planes[k + 1], (int)frames[k], &blocks);
			t[k]->calls++;
			t[++k]->calls++;
		} else {
			hr_meter_process(&t[k]->meter, planes[k], (int)frames[k]);
			t[k]->calls++;
		}
	}
}

void hr_taps_process(hr_taps *ts)
{
	uint32_t gen = atomic_load_explicit(&ts->window, memory_order_acquire);
	int n = atomic_load_explicit(&ts->n_slots, memory_order_acquire);
	/* the slots whose meters run this cycle, and those with sound to meter */
	hr_tap *live[HR_MAX_TAPS], *sounding[HR_MAX_TAPS];
	const float *planes[HR_MAX_TAPS][HR_BUS_CHANNELS];
	uint32_t frames[HR_MAX_TAPS];
	int n_live = 0, n_sounding = 0;
	for (int i = 0; i < n; i++) {
		hr_tap *t = &ts->tap[i];
		int ok = atomic_load_explicit(&t->meter_ok, memory_order_acquire);
		/* every port's buffer goes back each cycle, metered or not */
		const float **p = planes[n_sounding];
		uint32_t f_min = UINT32_MAX, got = 0;
		for (int c = 0; c < HR_BUS_CHANNELS; c++) {
			uint32_t f = 0;
			p[c] = hr_node_input(t->port[c], &f);
			if (p[c] != NULL) {
				f_min = SPA_MIN(f_min, f);
				got++;
			}
		}
		if (!ok)
			continue;
		live[n_live++] = t;
		if (gen != t->seen_window) {
			t->seen_window = gen;
			hr_meter_take_tick_peak(&t->meter); /* the last tick reported it: a new window */
		}
		if (got == HR_BUS_CHANNELS && f_min > 0 && f_min != UINT32_MAX) {
			frames[n_sounding] = f_min;
			sounding[n_sounding++] = t;
		}
	}
	if (HR_RUN_DSP)
		meter_slots(sounding, (const float *const(*)[HR_BUS_CHANNELS])planes, frames, n_sounding);
	else /* counted as metered: the tick reports them as it would */
		for (int k = 0; k < n_sounding; k++)
			sounding[k]->calls++;
	float bridge_db = 0.0f;
	for (int i = 0; i < n_live; i++) {
		hr_tap *t = live[i];
		hr_tap_snapshot *s = hr_latest_back(&t->latest);
		s->m = (float)hr_meter_momentary(&t->meter);
		s->s = (float)hr_meter_short_term(&t->meter);
		s->peak = hr_meter_tick_peak(&t->meter);
		s->fast = (float)hr_onset_update(&t->onset, &t->meter, HR_ONSET_WINDOW_SUBS, HR_ONSET_MIN_SUBS);
		s->heard = t->onset.heard;
		s->recent = t->onset.heard < HR_GUARD_YOUNG_SUBS /* only the guard and the bridge read it */
				    ? (float)hr_onset_recent(&t->onset, &t->meter, HR_BRIDGE_SUBS, HR_BRIDGE_MIN_SUBS)
				    : (float)HR_LOUDNESS_FLOOR_LUFS;
		bridge_db = fminf(bridge_db, bridge_cut(t, s->fast, s->recent));
		s->window = gen;
		s->calls = t->calls;
		hr_latest_publish(&t->latest);
	}
	atomic_store_explicit(&ts->bus->bridge_db, bridge_db, memory_order_relaxed);
}

/* Main thread: (re)start a slot's meter at a rate while the RT side is kept away from it. */
static void start_meter(hr_tap *t, uint32_t rate)
{
	atomic_store_explicit(&t->meter_ok, 0, memory_order_release);
	hr_data_barrier(t->taps->data_loop);
	if (hr_meter_init(&t->meter, (int)rate, HR_BUS_CHANNELS, NULL, 0) == HR_OK) {
		uint32_t heard = t->onset.heard; /* a new rate is not a new start */
		hr_onset_reset(&t->onset, &t->meter);
		t->onset.heard = heard;
		atomic_store_explicit(&t->meter_ok, 1, memory_order_release);
	}
}

void hr_taps_check_rate(hr_taps *ts)
{
	uint32_t rate = hr_node_rate(ts->node);
	if (rate == 0 || rate == ts->rate)
		return;
	ts->rate = rate;
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (ts->tap[i].used && ts->tap[i].meter.rate != (int)rate)
			start_meter(&ts->tap[i], rate);
}

/* tap_ready once the engine node is in the registry, then its links. */
static void announce(hr_taps *ts, hr_tap *t)
{
	if (t->announced)
		return;
	uint32_t node_id = hr_node_id(ts->node);
	const hr_node_info *n = node_id != SPA_ID_INVALID ? hr_graph_node(ts->graph, node_id) : NULL;
	if (n == NULL)
		return;
	ts->node_id = node_id;
	t->node_id = node_id;
	t->announced = 1;
	taps_emit(ts, tap_ready, t->id, n);
	hr_tap_links_sync(ts);
}

static void announce_all(hr_taps *ts)
{
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (ts->tap[i].used)
			announce(ts, &ts->tap[i]);
}

/* Main thread: the two ports of slot i, then the slot is published to the RT side. */
static int add_slot_ports(hr_taps *ts, int i)
{
	hr_tap *t = &ts->tap[i];
	for (int c = 0; c < HR_BUS_CHANNELS; c++) {
		char name[32];
		snprintf(name, sizeof(name), "tap-%d-%s", i, hr_channel_name[c]);
		/* a port once added stays: see hr_tap */
		if ((t->port[c] = hr_node_add_port(ts->node, PW_DIRECTION_INPUT, name, hr_channel_name[c])) == NULL)
			return -errno;
	}
	atomic_store_explicit(&ts->n_slots, i + 1, memory_order_release);
	return 0;
}

/* Whether a slot's ports are still fed by a link (a gone tap's, not yet removed). */
static int slot_linked(hr_taps *ts, int i)
{
	const hr_tap *t = &ts->tap[i];
	for (int k = 0; k < HR_TAP_LINKS; k++)
		if (t->links[k].proxy)
			return 1;
	char prefix[16];
	int len = snprintf(prefix, sizeof(prefix), "tap-%d-", i);
	for (size_t p = 0; p < ts->graph->n_ports; p++) {
		const hr_port_info *port = &ts->graph->ports[p];
		if (port->node == ts->node_id && !port->output && strncmp(port->name, prefix, (size_t)len) == 0 &&
		    hr_graph_port_linked(ts->graph, port->id))
			return 1;
	}
	return 0;
}

/* A free slot whose ports nothing feeds any more, else a new one; -1 when all are taken. */
static int take_slot(hr_taps *ts)
{
	int n = atomic_load(&ts->n_slots);
	for (int i = 0; i < n; i++)
		if (!ts->tap[i].used && !slot_linked(ts, i))
			return i;
	if (n >= HR_MAX_TAPS)
		return -1;
	return add_slot_ports(ts, n) < 0 ? -1 : n;
}

int hr_taps_add(hr_taps *ts, uint32_t id, uint64_t serial)
{
	if (hr_taps_find(ts, id))
		return -EEXIST;
	if (ts->node->filter == NULL)
		return -EIO;
	int i = take_slot(ts);
	if (i < 0)
		return -ENOSPC;
	hr_tap *t = &ts->tap[i];

	/* the RT side touches a slot's meter, window, count and snapshots only while meter_ok
	 * is set: cleared, and the data loop waited for, the slot is the main thread's */
	atomic_store_explicit(&t->meter_ok, 0, memory_order_release);
	hr_data_barrier(ts->data_loop);
	t->taps = ts;
	t->id = id;
	t->stream_serial = serial;
	t->node_id = SPA_ID_INVALID;
	t->announced = 0;
	memset(&t->sent, 0, sizeof(t->sent));
	t->ticks_unsent = 0;
	t->last_calls = 0;
	t->idle_ticks = HR_IDLE_TICKS; /* nothing heard yet */
	t->seen_window = 0;
	t->calls = 0;
	hr_latest_init(&t->latest);
	memset(t->links, 0, sizeof(t->links));
	t->link_owner = (hr_link_owner){ .core = ts->core, .graph = ts->graph, .what = "tap", .id = id, .tag = "tap-link",
					 .failures = &ts->link_failures };
	memset(&t->gain, 0, sizeof(t->gain));
	memset(&t->stream, 0, sizeof(t->stream));
	atomic_store(&t->rt_guard_lufs, (float)HR_LOUDNESS_FLOOR_LUFS);
	uint32_t rate = ts->rate ? ts->rate : ts->bus->rate ? ts->bus->rate : 48000;
	if (hr_meter_init(&t->meter, (int)rate, HR_BUS_CHANNELS, NULL, 0) == HR_OK) {
		hr_onset_reset(&t->onset, &t->meter);
		atomic_store_explicit(&t->meter_ok, 1, memory_order_release);
	}
	t->used = 1;
	announce(ts, t);
	return 0;
}

int hr_taps_remove(hr_taps *ts, uint32_t id)
{
	hr_tap *t = hr_taps_find(ts, id);
	if (t == NULL)
		return -ENOENT;
	atomic_store(&t->meter_ok, 0);
	hr_tap_links_clear(t);
	hr_tap_stream_release(t, 1);
	t->used = 0;
	t->announced = 0;
	taps_emit(ts, tap_removed, id);
	return 0;
}

/* The graph: a new node may be the engine node (announce the taps) or an app's (link it);
 * a port that came or went changes the links. */
static void on_node_added(void *data, const hr_node_info *node)
{
	hr_taps *ts = data;
	announce_all(ts);
	hr_tap_links_sync(ts);
}

static void on_ports_changed(void *data) { hr_tap_links_sync(data); }

static const struct hr_graph_events graph_events = {
	HR_VERSION_GRAPH_EVENTS,
	.node_added = on_node_added,
	.ports_changed = on_ports_changed,
};

void hr_taps_init(hr_taps *ts, struct pw_core *core, struct pw_loop *data_loop, hr_graph *graph, hr_node *node,
		  hr_bus *bus)
{
	ts->node = node;
	ts->core = core;
	ts->data_loop = data_loop;
	ts->graph = graph;
	ts->bus = bus;
	ts->node_id = SPA_ID_INVALID;
	spa_hook_list_init(&ts->listeners);
	hr_graph_add_listener(graph, &ts->graph_listener, &graph_events, ts);
}

void hr_taps_add_listener(hr_taps *ts, struct spa_hook *listener, const struct hr_taps_events *events, void *data)
{
	spa_hook_list_append(&ts->listeners, listener, events, data);
}

void hr_taps_fini(hr_taps *ts)
{
	spa_hook_remove(&ts->graph_listener);
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (ts->tap[i].used) {
			atomic_store(&ts->tap[i].meter_ok, 0);
			hr_tap_links_clear(&ts->tap[i]);
			hr_tap_stream_release(&ts->tap[i], 1);
			ts->tap[i].used = 0;
		}
	atomic_store(&ts->n_slots, 0);
}

const hr_tap_snapshot *hr_tap_read(hr_tap *t) { return hr_latest_read(&t->latest); }

void hr_taps_new_window(hr_taps *ts) { atomic_fetch_add_explicit(&ts->window, 1, memory_order_release); }
