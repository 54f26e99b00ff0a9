/* The graph as the registry shows it (main thread): nodes by id with their serial and
 * name, ports, links, the lingering `headroom-processed` sink (created when absent, never
 * destroyed here: it must outlive a crash) and stream volumes through our own connection. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spa/param/props.h>
#include <spa/pod/builder.h>

#include "host.h"

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	void *p = realloc(*arr, c * size);
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

const hr_node_info *hr_graph_node(const hr_host *h, uint32_t id)
{
	for (size_t i = 0; i < h->n_nodes; i++)
		if (h->nodes[i].id == id)
			return &h->nodes[i];
	return NULL;
}

static const hr_node_info *node_by_name(const hr_host *h, const char *name)
{
	for (size_t i = 0; i < h->n_nodes; i++)
		if (strcmp(h->nodes[i].name, name) == 0)
			return &h->nodes[i];
	return NULL;
}

/* The bus output's link state: an event when it starts or stops feeding a sink. */
static void check_target(hr_host *h)
{
	uint32_t out = h->playback ? pw_stream_get_node_id(h->playback) : SPA_ID_INVALID;
	uint32_t target = SPA_ID_INVALID;
	for (size_t i = 0; out != SPA_ID_INVALID && i < h->n_links; i++)
		if (h->links[i].out_node == out)
			target = h->links[i].in_node;
	if (target == h->linked_target)
		return;
	const hr_node_info *prev = hr_graph_node(h, h->linked_target);
	if (target == SPA_ID_INVALID) {
		hr_send_event(h, HR_EVENT_TARGET_LOST, h->linked_target, 0, 0, prev ? prev->name : "");
	} else {
		const hr_node_info *n = hr_graph_node(h, target);
		hr_send_event(h, HR_EVENT_TARGET_LINKED, target, 0, n ? n->serial : 0, n ? n->name : "");
	}
	h->linked_target = target;
}

static uint32_t prop_u32(const struct spa_dict *props, const char *key)
{
	const char *s = props ? spa_dict_lookup(props, key) : NULL;
	return s ? (uint32_t)strtoul(s, NULL, 10) : SPA_ID_INVALID;
}

static void on_global(void *data, uint32_t id, uint32_t permissions, const char *type, uint32_t version,
		      const struct spa_dict *props)
{
	hr_host *h = data;
	if (strcmp(type, PW_TYPE_INTERFACE_Node) == 0) {
		if (grow((void **)&h->nodes, &h->cap_nodes, h->n_nodes, sizeof(*h->nodes)) < 0)
			return;
		hr_node_info *n = &h->nodes[h->n_nodes++];
		const char *serial = props ? spa_dict_lookup(props, PW_KEY_OBJECT_SERIAL) : NULL;
		const char *name = props ? spa_dict_lookup(props, PW_KEY_NODE_NAME) : NULL;
		n->id = id;
		n->serial = serial ? strtoull(serial, NULL, 10) : 0;
		snprintf(n->name, sizeof(n->name), "%s", name ? name : "");
		hr_graph_maybe_ready(h);
		hr_taps_announce(h);
		hr_tap_links_sync(h);
	} else if (strcmp(type, PW_TYPE_INTERFACE_Port) == 0) {
		if (grow((void **)&h->ports, &h->cap_ports, h->n_ports, sizeof(*h->ports)) < 0)
			return;
		hr_port_info *p = &h->ports[h->n_ports++];
		const char *dir = props ? spa_dict_lookup(props, PW_KEY_PORT_DIRECTION) : NULL;
		const char *mon = props ? spa_dict_lookup(props, PW_KEY_PORT_MONITOR) : NULL;
		const char *ch = props ? spa_dict_lookup(props, PW_KEY_AUDIO_CHANNEL) : NULL;
		p->id = id;
		p->node = prop_u32(props, PW_KEY_NODE_ID);
		p->output = dir != NULL && strcmp(dir, "out") == 0;
		p->monitor = mon != NULL && strcmp(mon, "true") == 0;
		snprintf(p->channel, sizeof(p->channel), "%s", ch ? ch : "");
		hr_tap_links_sync(h);
	} else if (strcmp(type, PW_TYPE_INTERFACE_Link) == 0) {
		if (grow((void **)&h->links, &h->cap_links, h->n_links, sizeof(*h->links)) < 0)
			return;
		h->links[h->n_links++] = (hr_link_info){ id, prop_u32(props, PW_KEY_LINK_OUTPUT_NODE),
							 prop_u32(props, PW_KEY_LINK_INPUT_NODE) };
		check_target(h);
	}
}

static void on_global_remove(void *data, uint32_t id)
{
	hr_host *h = data;
	for (size_t i = 0; i < h->n_nodes; i++)
		if (h->nodes[i].id == id)
			h->nodes[i] = h->nodes[--h->n_nodes];
	for (size_t i = 0; i < h->n_ports; i++)
		if (h->ports[i].id == id) {
			h->ports[i] = h->ports[--h->n_ports];
			hr_tap_links_sync(h);
		}
	for (size_t i = 0; i < h->n_links; i++)
		if (h->links[i].id == id) {
			h->links[i] = h->links[--h->n_links];
			check_target(h);
		}
}

static const struct pw_registry_events registry_events = {
	PW_VERSION_REGISTRY_EVENTS,
	.global = on_global,
	.global_remove = on_global_remove,
};

static void create_sink(hr_host *h)
{
	struct pw_properties *props = pw_properties_new(
		PW_KEY_FACTORY_NAME, "support.null-audio-sink", PW_KEY_NODE_NAME, HR_SINK_NAME,
		PW_KEY_NODE_DESCRIPTION, HR_SINK_DESCRIPTION, PW_KEY_MEDIA_CLASS, "Audio/Sink",
		PW_KEY_OBJECT_LINGER, "true", "audio.position", "[ FL FR ]", "monitor.channel-volumes", "false",
		"headroom.node", "bus-sink", HR_NO_RESTORE,
		/* never suspended by WirePlumber: 0.4.13's suspend timer outlives the node it was
		 * started for and crashes WirePlumber 5 s after the sink is destroyed on stop */
		"session.suspend-timeout-seconds", "0",
		/* WirePlumber 0.4's restore-stream saves the state of every Audio/... node without
		 * device routes (device.routes absent or "0"): a sink with routes of its own is not
		 * remembered (0.5 reads state.restore-props above; nothing else reads this key) */
		"device.routes", "1", NULL);
	if (props == NULL)
		return;
	h->sink_proxy = pw_core_create_object(h->core, "adapter", PW_TYPE_INTERFACE_Node, PW_VERSION_NODE,
					      &props->dict, 0);
	pw_properties_free(props);
	if (h->sink_proxy == NULL)
		hr_quit(h, HR_EXIT_SETUP, "cannot create the %s sink: %s", HR_SINK_NAME, strerror(errno));
}

/* After the first registry sync: create the sink if nobody has, then the streams. */
static void on_core_done(void *data, uint32_t id, int seq)
{
	hr_host *h = data;
	if (id != PW_ID_CORE || seq != h->initial_sync || h->sink_requested)
		return;
	h->sink_requested = 1;
	if (node_by_name(h, HR_SINK_NAME) == NULL)
		create_sink(h);
	int r = hr_bus_init(h);
	if (r < 0)
		hr_quit(h, HR_EXIT_SETUP, "cannot create the bus streams: %s", strerror(-r));
}

static void on_core_error(void *data, uint32_t id, int seq, int res, const char *message)
{
	hr_host *h = data;
	if (id == PW_ID_CORE && res == -EPIPE)
		hr_quit(h, HR_EXIT_LOST, "lost the connection to PipeWire (%s)", message ? message : "broken pipe");
	else if (id == PW_ID_CORE && res == -ENOENT) /* "unknown resource": an object that went first */
		fprintf(stderr, "filter-host: PipeWire: %s\n", message ? message : "unknown resource");
	else if (id == PW_ID_CORE)
		hr_quit(h, HR_EXIT_LOST, "PipeWire error: %s", message ? message : strerror(-res));
	else if (!hr_tap_links_own(h, id)) /* a tap link's own error handler reports those */
		hr_send_event(h, HR_EVENT_STREAM_ERROR, id, 0, 0, message ? message : strerror(-res));
}

static const struct pw_core_events core_events = {
	PW_VERSION_CORE_EVENTS,
	.done = on_core_done,
	.error = on_core_error,
};

int hr_graph_init(hr_host *h)
{
	h->linked_target = SPA_ID_INVALID;
	pw_core_add_listener(h->core, &h->core_listener, &core_events, h);
	h->registry = pw_core_get_registry(h->core, PW_VERSION_REGISTRY, 0);
	if (h->registry == NULL)
		return -errno;
	pw_registry_add_listener(h->registry, &h->registry_listener, &registry_events, h);
	h->initial_sync = pw_core_sync(h->core, PW_ID_CORE, 0);
	return 0;
}

void hr_graph_fini(hr_host *h)
{
	if (h->sink_proxy)
		pw_proxy_destroy(h->sink_proxy); /* the node lingers: object.linger */
	if (h->registry) {
		spa_hook_remove(&h->registry_listener);
		pw_proxy_destroy((struct pw_proxy *)h->registry);
	}
	spa_hook_remove(&h->core_listener);
	free(h->nodes);
	free(h->links);
	free(h->ports);
}

/* READY once the sink and both bus streams are in the registry. */
void hr_graph_maybe_ready(hr_host *h)
{
	if (h->ready_sent || h->capture == NULL || h->playback == NULL)
		return;
	const hr_node_info *sink = node_by_name(h, HR_SINK_NAME);
	const hr_node_info *cap = hr_graph_node(h, pw_stream_get_node_id(h->capture));
	const hr_node_info *play = hr_graph_node(h, pw_stream_get_node_id(h->playback));
	if (sink == NULL || cap == NULL || play == NULL)
		return;
	hr_frame_ready f = {
		.rate = h->rate,
		.quantum = hr_latest_read(&h->bus_latest)->quantum,
		.channels = HR_BUS_CHANNELS,
		.latency_frames = (uint32_t)atomic_load(&h->active)->lim.latency,
		.sink_id = sink->id, .capture_id = cap->id, .playback_id = play->id,
		.sink_serial = sink->serial, .capture_serial = cap->serial, .playback_serial = play->serial,
	};
	uint8_t buf[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
	hr_output_frame(h, buf, hr_wire_encode_ready(buf, h->out_seq++, &f), 0);
	h->ready_sent = 1;
	check_target(h);
}

/* Props.volume (the master scalar) of a stream node; channelVolumes stay the user's. */
int hr_graph_set_volume(hr_host *h, uint32_t node_id, uint64_t serial, float volume)
{
	const hr_node_info *n = hr_graph_node(h, node_id);
	if (n == NULL || n->serial != serial)
		return -ENOENT;
	struct pw_node *node = pw_registry_bind(h->registry, node_id, PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, 0);
	if (node == NULL)
		return -errno;
	uint8_t buffer[256];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
	const struct spa_pod *param = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_Props, SPA_PARAM_Props,
								 SPA_PROP_volume, SPA_POD_Float(volume));
	int r = pw_node_set_param(node, SPA_PARAM_Props, 0, param);
	pw_proxy_destroy((struct pw_proxy *)node);
	return r < 0 ? r : 0;
}
