/* Taps: one passive capture stream per app stream that the supervisor wants to hear on its
 * own (Layer A), not connected by the session manager: tap-links.c links the app's output
 * ports to it. The tap runs the meter only (momentary, short-term, sample peak). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <spa/param/audio/format-utils.h>
#include <spa/pod/builder.h>

#include "rt_trap.h"
#include "stream.h"
#include "taps.h"

#define taps_emit(ts, m, ...) spa_hook_list_call(&(ts)->listeners, struct hr_taps_events, m, 0, ##__VA_ARGS__)

static hr_tap *find(hr_taps *ts, uint32_t id)
{
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (ts->tap[i].used && ts->tap[i].id == id)
			return &ts->tap[i];
	return NULL;
}

static void tap_process(void *data)
{
	hr_tap *t = data;
	HR_RT_ENTER();
	int ok = atomic_load_explicit(&t->meter_ok, memory_order_acquire);
	uint32_t gen = atomic_load_explicit(&t->taps->window, memory_order_acquire);
	if (gen != t->seen_window) {
		t->seen_window = gen;
		if (ok)
			hr_meter_take_tick_peak(&t->meter); /* the last tick reported it: a new window */
	}
	struct pw_buffer *b;
	while ((b = pw_stream_dequeue_buffer(t->stream)) != NULL) {
		/* planar: one data block per channel, metered where it lies */
		struct spa_data *d = b->buffer->datas;
		if (ok && b->buffer->n_datas >= HR_BUS_CHANNELS && d[0].data != NULL && d[1].data != NULL) {
			const float *planes[HR_BUS_CHANNELS];
			uint32_t frames = UINT32_MAX;
			for (int c = 0; c < HR_BUS_CHANNELS; c++) {
				uint32_t off = SPA_MIN(d[c].chunk->offset, d[c].maxsize);
				uint32_t avail = SPA_MIN(d[c].chunk->size, d[c].maxsize - off) / (uint32_t)sizeof(float);
				frames = SPA_MIN(frames, avail);
				planes[c] = SPA_PTROFF(d[c].data, off, const float);
			}
			hr_meter_process(&t->meter, planes, (int)frames);
			t->calls++;
		}
		pw_stream_queue_buffer(t->stream, b);
	}
	if (ok) {
		hr_tap_snapshot *s = hr_latest_back(&t->latest);
		s->m = (float)hr_meter_momentary(&t->meter);
		s->s = (float)hr_meter_short_term(&t->meter);
		s->peak = hr_meter_tick_peak(&t->meter);
		s->window = gen;
		s->calls = t->calls;
		hr_latest_publish(&t->latest);
	}
	HR_RT_LEAVE();
}

/* Main thread: (re)start the meter at a rate while the RT side is kept away from it. */
static void start_meter(hr_tap *t, uint32_t rate)
{
	atomic_store_explicit(&t->meter_ok, 0, memory_order_release);
	hr_data_barrier(t->taps->data_loop);
	if (hr_meter_init(&t->meter, (int)rate, HR_BUS_CHANNELS, NULL, 0) == HR_OK)
		atomic_store_explicit(&t->meter_ok, 1, memory_order_release);
}

/* tap_ready once the tap's node is in the registry, then its links. */
static void announce(hr_taps *ts, hr_tap *t)
{
	if (t->announced || t->stream == NULL)
		return;
	uint32_t node_id = pw_stream_get_node_id(t->stream);
	const hr_node_info *n = node_id != SPA_ID_INVALID ? hr_graph_node(ts->graph, node_id) : NULL;
	if (n == NULL)
		return;
	t->node_id = node_id;
	t->announced = 1;
	taps_emit(ts, tap_ready, t->id, n);
	hr_tap_links_sync(ts);
}

static void tap_state(void *data, enum pw_stream_state old, enum pw_stream_state state, const char *error)
{
	hr_tap *t = data;
	announce(t->taps, t);
}

static void tap_param_changed(void *data, uint32_t id, const struct spa_pod *param)
{
	hr_tap *t = data;
	struct spa_audio_info_raw info = { 0 };
	if (id != SPA_PARAM_Format || param == NULL || spa_format_audio_raw_parse(param, &info) < 0 || info.rate == 0)
		return;
	if ((int)info.rate != t->meter.rate || !atomic_load(&t->meter_ok))
		start_meter(t, info.rate);
}

static const struct pw_stream_events tap_events = {
	PW_VERSION_STREAM_EVENTS,
	.state_changed = tap_state,
	.param_changed = tap_param_changed,
	.process = tap_process,
};

int hr_taps_add(hr_taps *ts, uint32_t id, uint64_t serial)
{
	if (find(ts, id))
		return -EEXIST;
	hr_tap *t = NULL;
	for (int i = 0; i < HR_MAX_TAPS && t == NULL; i++)
		if (!ts->tap[i].used)
			t = &ts->tap[i];
	if (t == NULL)
		return -ENOSPC;

	char name[64], id_s[16], serial_s[24];
	snprintf(name, sizeof(name), "headroom-tap-%u", id);
	snprintf(id_s, sizeof(id_s), "%u", id);
	snprintf(serial_s, sizeof(serial_s), "%llu", (unsigned long long)serial);
	struct pw_properties *props = pw_properties_new(
		PW_KEY_NODE_NAME, name, PW_KEY_NODE_DESCRIPTION, "Headroom tap", PW_KEY_MEDIA_TYPE, "Audio",
		PW_KEY_MEDIA_CATEGORY, "Capture", PW_KEY_APP_NAME, "headroom", PW_KEY_NODE_PASSIVE, "true",
		"headroom.node", "tap", "headroom.tap.id", id_s, "headroom.tap.serial", serial_s,
		HR_NO_RESTORE, NULL);
	if (props == NULL)
		return -errno;
	struct pw_stream *s = pw_stream_new(ts->core, name, props);
	if (s == NULL)
		return -errno;

	memset(t, 0, offsetof(hr_tap, meter));
	t->taps = ts;
	t->id = id;
	t->stream_serial = serial;
	t->stream = s;
	t->node_id = SPA_ID_INVALID;
	t->seen_window = 0;
	t->calls = t->last_calls = 0;
	t->idle_ticks = HR_IDLE_TICKS; /* nothing heard yet */
	hr_latest_init(&t->latest);
	start_meter(t, ts->bus->rate ? ts->bus->rate : 48000);
	t->used = 1;
	pw_stream_add_listener(s, &t->listener, &tap_events, t);

	uint8_t buffer[1024];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
	const struct spa_pod *params[1] = { hr_audio_format(&b, 0, 1) };
	/* no AUTOCONNECT: WirePlumber leaves it alone, tap-links.c links it */
	int r = pw_stream_connect(s, PW_DIRECTION_INPUT, PW_ID_ANY, PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_RT_PROCESS,
				  params, 1);
	if (r < 0) {
		hr_taps_remove(ts, id);
		return r;
	}
	return 0;
}

int hr_taps_remove(hr_taps *ts, uint32_t id)
{
	hr_tap *t = find(ts, id);
	if (t == NULL)
		return -ENOENT;
	atomic_store(&t->meter_ok, 0);
	hr_tap_links_clear(t);
	spa_hook_remove(&t->listener);
	pw_stream_destroy(t->stream);
	hr_data_barrier(ts->data_loop);
	t->stream = NULL;
	t->used = 0;
	taps_emit(ts, tap_removed, id);
	return 0;
}

/* The graph: a new node may be a tap's own (announce it) or an app's (link it); a port
 * that came or went changes the links. */
static void on_node_added(void *data, const hr_node_info *node)
{
	hr_taps *ts = data;
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (ts->tap[i].used)
			announce(ts, &ts->tap[i]);
	hr_tap_links_sync(ts);
}

static void on_ports_changed(void *data) { hr_tap_links_sync(data); }

static const struct hr_graph_events graph_events = {
	HR_VERSION_GRAPH_EVENTS,
	.node_added = on_node_added,
	.ports_changed = on_ports_changed,
};

void hr_taps_init(hr_taps *ts, struct pw_core *core, struct pw_loop *data_loop, hr_graph *graph, hr_bus *bus)
{
	ts->core = core;
	ts->data_loop = data_loop;
	ts->graph = graph;
	ts->bus = bus;
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
			hr_tap_links_clear(&ts->tap[i]);
			spa_hook_remove(&ts->tap[i].listener);
			pw_stream_destroy(ts->tap[i].stream);
			ts->tap[i].used = 0;
		}
}

const hr_tap_snapshot *hr_tap_read(hr_tap *t) { return hr_latest_read(&t->latest); }

void hr_taps_new_window(hr_taps *ts) { atomic_fetch_add_explicit(&ts->window, 1, memory_order_release); }
