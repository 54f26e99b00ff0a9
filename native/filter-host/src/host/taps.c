/* Taps: one passive capture stream per app stream that the supervisor wants to hear on its
 * own (Layer A), not connected by the session manager: tap-links.c links the app's output
 * ports to it. The tap runs the meter only (momentary, short-term, sample peak). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <spa/param/audio/format-utils.h>
#include <spa/pod/builder.h>

#include "host.h"
#include "rt_trap.h"

static hr_tap *find(hr_host *h, uint32_t id)
{
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (h->taps[i].used && h->taps[i].id == id)
			return &h->taps[i];
	return NULL;
}

static void tap_process(void *data)
{
	hr_tap *t = data;
	HR_RT_ENTER();
	int ok = atomic_load_explicit(&t->meter_ok, memory_order_acquire);
	uint32_t gen = atomic_load_explicit(&t->host->tick_gen, memory_order_acquire);
	if (gen != t->seen_gen) {
		t->seen_gen = gen;
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
		s->tick_gen = gen;
		s->calls = t->calls;
		hr_latest_publish(&t->latest);
	}
	HR_RT_LEAVE();
}

/* Main thread: (re)start the meter at a rate while the RT side is kept away from it. */
static void start_meter(hr_tap *t, uint32_t rate)
{
	atomic_store_explicit(&t->meter_ok, 0, memory_order_release);
	hr_data_barrier(t->host);
	if (hr_meter_init(&t->meter, (int)rate, HR_BUS_CHANNELS, NULL, 0) == HR_OK)
		atomic_store_explicit(&t->meter_ok, 1, memory_order_release);
}

static void announce(hr_host *h, hr_tap *t)
{
	if (t->announced || t->stream == NULL)
		return;
	uint32_t node_id = pw_stream_get_node_id(t->stream);
	const hr_node_info *n = node_id != SPA_ID_INVALID ? hr_graph_node(h, node_id) : NULL;
	if (n == NULL)
		return;
	t->node_id = node_id;
	t->announced = 1;
	hr_send_event(h, HR_EVENT_TAP_READY, t->id, node_id, n->serial, n->name);
	hr_tap_links_sync(h);
}

void hr_taps_announce(hr_host *h)
{
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (h->taps[i].used)
			announce(h, &h->taps[i]);
}

static void tap_state(void *data, enum pw_stream_state old, enum pw_stream_state state, const char *error)
{
	hr_tap *t = data;
	announce(t->host, t);
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

int hr_tap_add(hr_host *h, uint32_t id, uint64_t serial)
{
	if (find(h, id))
		return -EEXIST;
	hr_tap *t = NULL;
	for (int i = 0; i < HR_MAX_TAPS && t == NULL; i++)
		if (!h->taps[i].used)
			t = &h->taps[i];
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
	struct pw_stream *s = pw_stream_new(h->core, name, props);
	if (s == NULL)
		return -errno;

	memset(t, 0, offsetof(hr_tap, meter));
	t->host = h;
	t->id = id;
	t->stream_serial = serial;
	t->stream = s;
	t->node_id = SPA_ID_INVALID;
	t->seen_gen = 0;
	t->calls = t->last_calls = 0;
	t->idle_ticks = HR_IDLE_TICKS; /* nothing heard yet */
	hr_latest_init(&t->latest);
	start_meter(t, h->rate ? h->rate : 48000);
	t->used = 1;
	pw_stream_add_listener(s, &t->listener, &tap_events, t);

	uint8_t buffer[1024];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
	const struct spa_pod *params[1] = { hr_audio_format(&b, 0, 1) };
	/* no AUTOCONNECT: WirePlumber leaves it alone, tap-links.c links it */
	int r = pw_stream_connect(s, PW_DIRECTION_INPUT, PW_ID_ANY, PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_RT_PROCESS,
				  params, 1);
	if (r < 0) {
		hr_tap_remove(h, id);
		return r;
	}
	return 0;
}

int hr_tap_remove(hr_host *h, uint32_t id)
{
	hr_tap *t = find(h, id);
	if (t == NULL)
		return -ENOENT;
	atomic_store(&t->meter_ok, 0);
	hr_tap_links_clear(t);
	spa_hook_remove(&t->listener);
	pw_stream_destroy(t->stream);
	hr_data_barrier(h);
	t->stream = NULL;
	t->used = 0;
	hr_send_event(h, HR_EVENT_TAP_REMOVED, id, 0, 0, "");
	return 0;
}

void hr_taps_fini(hr_host *h)
{
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (h->taps[i].used) {
			hr_tap_links_clear(&h->taps[i]);
			spa_hook_remove(&h->taps[i].listener);
			pw_stream_destroy(h->taps[i].stream);
			h->taps[i].used = 0;
		}
}

/* the readings are compared with memcmp: no padding in the frame */
_Static_assert(sizeof(hr_frame_tap) == 2 * sizeof(uint32_t) + sizeof(uint64_t) + 3 * sizeof(float) + sizeof(uint32_t),
	       "hr_frame_tap has padding");

int hr_taps_emit(hr_host *h)
{
	int written = 0;
	uint8_t buf[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
	uint32_t gen = atomic_load(&h->tick_gen);
	for (int i = 0; i < HR_MAX_TAPS; i++) {
		hr_tap *t = &h->taps[i];
		if (!t->used || !t->announced)
			continue;
		const hr_tap_snapshot *s = hr_latest_read(&t->latest);
		int fresh = s->calls != t->last_calls;
		t->last_calls = s->calls;
		int active = hr_still_active(&t->idle_ticks, fresh);
		hr_frame_tap f = {
			.tap_id = t->id, .node_id = t->node_id, .stream_serial = t->stream_serial,
			.m = active ? s->m : (float)HR_LOUDNESS_FLOOR_LUFS,
			.s = active ? s->s : (float)HR_LOUDNESS_FLOOR_LUFS,
			.peak_db = fresh && s->tick_gen == gen && s->peak > 0.0f ? 20.0f * log10f(s->peak)
										 : (float)HR_LOUDNESS_FLOOR_LUFS,
			.flags = active ? HR_METER_FLAG_ACTIVE : 0,
		};
		/* an unchanged reading (a silent or paused stream) is repeated once a second only */
		if (hr_hold_back(&t->ticks_unsent, memcmp(&f, &t->sent, sizeof(f)) == 0))
			continue;
		t->sent = f;
		hr_output_queue(h, buf, hr_wire_encode_tap(buf, h->out_seq++, &f), 1);
		written++;
	}
	return written;
}
