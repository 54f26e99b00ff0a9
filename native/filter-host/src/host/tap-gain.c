/* Layer A's gain on an app's stream, as softVolumes: the per-channel gain the stream's own
 * converter applies (times the master volume, which it applies apart). WirePlumber saves and
 * restores volume, mute, channelVolumes and channelMap for an app (keyed by role or name) and
 * never softVolumes, so a gain left on a stream that ends by itself is never remembered for
 * the app's next stream, and the user's slider (channelVolumes, volume) is never moved.
 * softVolumes replaces what the converter derived from channelVolumes, and a change of those
 * (the user's slider, mute, or WirePlumber's restore at start) derives it again: the tap
 * binds the stream's node, follows its Props, and writes softVolumes = channelVolumes * gain
 * (softMute = mute) again whenever they differ. Main thread only. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <spa/param/props.h>
#include <spa/pod/builder.h>
#include <spa/pod/iter.h>

#include "taps.h"

/* Differences smaller than this are the float round trip, not a change. */
#define SOFT_EPSILON 1e-4f

static int stream_bind(hr_taps *ts, hr_tap *t);

/* A bool property into *to; a value of another type leaves it as it was. */
static void read_bool(const struct spa_pod *value, int *to)
{
	bool b;
	if (spa_pod_get_bool(value, &b) == 0)
		*to = b;
}

static void read_props(hr_tap *t, const struct spa_pod *param)
{
	hr_tap_stream *st = &t->stream;
	const struct spa_pod_object *obj = (const struct spa_pod_object *)param;
	const struct spa_pod_prop *prop;
	SPA_POD_OBJECT_FOREACH(obj, prop)
	{
		switch (prop->key) {
		case SPA_PROP_mute:
			read_bool(&prop->value, &st->mute);
			break;
		case SPA_PROP_channelVolumes:
			st->n = spa_pod_copy_array(&prop->value, SPA_TYPE_Float, st->channel, HR_TAP_MAX_CHANNELS);
			break;
		case SPA_PROP_softVolumes:
			st->n_soft = spa_pod_copy_array(&prop->value, SPA_TYPE_Float, st->soft, HR_TAP_MAX_CHANNELS);
			break;
		case SPA_PROP_softMute:
			read_bool(&prop->value, &st->soft_mute);
			break;
		default:
			break;
		}
	}
	st->known = st->n > 0;
}

/* The softVolumes the stream should have now: its user's volumes at the tap's gain. */
static uint32_t wanted(const hr_tap *t, float *out)
{
	const hr_tap_stream *st = &t->stream;
	float g = t->gain.set ? powf(10.0f, t->gain.gain_db / 20.0f) : 1.0f;
	for (uint32_t i = 0; i < st->n; i++) {
		float v = st->channel[i] * g;
		out[i] = v > HR_MAX_VOLUME ? HR_MAX_VOLUME : v;
	}
	return st->n;
}

int hr_tap_apply_gain(hr_taps *ts, hr_tap *t)
{
	hr_tap_stream *st = &t->stream;
	int r;
	if (st->node == NULL && (r = stream_bind(ts, t)) < 0)
		return r; /* not (or no longer) in the graph */
	if (!st->known)
		return 0; /* written when the stream's Props come */
	float soft[HR_TAP_MAX_CHANNELS];
	uint32_t n = wanted(t, soft);
	int same = n == st->n_soft && st->soft_mute == st->mute;
	for (uint32_t i = 0; same && i < n; i++)
		same = fabsf(soft[i] - st->soft[i]) <= SOFT_EPSILON * (1.0f + soft[i]);
	if (same)
		return 0;
	uint8_t buffer[512];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
	const struct spa_pod *param = spa_pod_builder_add_object(
		&b, SPA_TYPE_OBJECT_Props, SPA_PARAM_Props, SPA_PROP_softVolumes,
		SPA_POD_Array(sizeof(float), SPA_TYPE_Float, n, soft), SPA_PROP_softMute, SPA_POD_Bool(st->mute));
	/* what was asked is what the next Props will say: no second write for it */
	memcpy(st->soft, soft, n * sizeof(float));
	st->n_soft = n;
	st->soft_mute = st->mute;
	r = pw_node_set_param((struct pw_node *)st->node, SPA_PARAM_Props, 0, param);
	return r < 0 ? r : 0;
}

static void on_param(void *data, int seq, uint32_t id, uint32_t index, uint32_t next, const struct spa_pod *param)
{
	hr_tap *t = data;
	if (id != SPA_PARAM_Props || param == NULL || !spa_pod_is_object_type(param, SPA_TYPE_OBJECT_Props))
		return;
	read_props(t, param);
	hr_tap_apply_gain(t->taps, t);
}

static const struct pw_node_events node_events = {
	PW_VERSION_NODE_EVENTS,
	.param = on_param,
};

static void on_removed(void *data)
{
	hr_tap *t = data;
	hr_tap_stream_release(t, 0);
}

static const struct pw_proxy_events proxy_events = {
	PW_VERSION_PROXY_EVENTS,
	.removed = on_removed,
};

static int stream_bind(hr_taps *ts, hr_tap *t)
{
	hr_tap_stream *st = &t->stream;
	if (st->node != NULL)
		return 0;
	const hr_node_info *n = hr_graph_node_by_serial(ts->graph, t->stream_serial);
	if (n == NULL)
		return -ENOENT;
	struct pw_node *node = pw_registry_bind(ts->graph->registry, n->id, PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, 0);
	if (node == NULL)
		return -errno;
	memset(st, 0, sizeof(*st));
	st->node = (struct pw_proxy *)node;
	pw_proxy_add_listener(st->node, &st->proxy_listener, &proxy_events, t);
	pw_node_add_listener(node, &st->node_listener, &node_events, t);
	uint32_t ids[] = { SPA_PARAM_Props };
	pw_node_subscribe_params(node, ids, 1);
	return 0;
}

void hr_tap_stream_release(hr_tap *t, int give_back)
{
	hr_tap_stream *st = &t->stream;
	if (st->node == NULL)
		return;
	if (give_back && t->gain.set && t->gain.gain_db != 0.0f) {
		t->gain.gain_db = 0.0f; /* the user's volumes again, as the converter derives them */
		hr_tap_apply_gain(t->taps, t);
	}
	spa_hook_remove(&st->node_listener);
	spa_hook_remove(&st->proxy_listener);
	pw_proxy_destroy(st->node);
	st->node = NULL;
	st->known = 0;
}
