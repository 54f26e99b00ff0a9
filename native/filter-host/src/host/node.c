/* The engine node (node.h). */
#include <errno.h>
#include <stdio.h>

#include "host.h"
#include "node.h"
#include "rt_trap.h"

const char *const hr_channel_name[HR_BUS_CHANNELS] = { "FL", "FR" };

static void on_state(void *data, enum pw_filter_state old, enum pw_filter_state state, const char *error)
{
	hr_node *n = data;
	if (state == PW_FILTER_STATE_ERROR && error == NULL)
		error = "error";
	n->events->state_changed(n->data, state == PW_FILTER_STATE_ERROR ? error : NULL);
}

static void on_process(void *data, struct spa_io_position *position)
{
	hr_node *n = data;
	HR_RT_ENTER();
	uint32_t rate = position ? position->clock.rate.denom : 0;
	if (rate != 0 && rate != atomic_load_explicit(&n->graph_rate, memory_order_relaxed))
		atomic_store_explicit(&n->graph_rate, rate, memory_order_release);
	n->events->process(n->data, position);
	HR_RT_LEAVE();
}

static const struct pw_filter_events filter_events = {
	PW_VERSION_FILTER_EVENTS,
	.state_changed = on_state,
	.process = on_process,
};

int hr_node_init(hr_node *n, struct pw_core *core, const struct hr_node_events *events, void *data)
{
	n->events = events;
	n->data = data;
	atomic_store(&n->graph_rate, 0);
	/* passive: it keeps no device awake (the links it makes are passive too) */
	struct pw_properties *props = pw_properties_new(
		PW_KEY_NODE_NAME, HR_ENGINE_NAME, PW_KEY_NODE_DESCRIPTION, "Headroom engine", PW_KEY_MEDIA_TYPE, "Audio",
		PW_KEY_APP_NAME, "headroom", PW_KEY_NODE_PASSIVE, "true", PW_KEY_NODE_AUTOCONNECT, "false",
		"headroom.node", "engine", HR_NO_RESTORE, NULL);
	if (props == NULL)
		return -errno;
	n->filter = pw_filter_new(core, HR_ENGINE_NAME, props);
	if (n->filter == NULL)
		return -errno;
	pw_filter_add_listener(n->filter, &n->filter_listener, &filter_events, n);
	return 0;
}

int hr_node_connect(hr_node *n) { return pw_filter_connect(n->filter, PW_FILTER_FLAG_RT_PROCESS, NULL, 0); }

void hr_node_fini(hr_node *n)
{
	if (n->filter == NULL)
		return;
	/* off the data loop first: no callback runs on what the listener is given after this */
	pw_filter_disconnect(n->filter);
	spa_hook_remove(&n->filter_listener);
	pw_filter_destroy(n->filter); /* the whole node: its ports go with it, safely */
	n->filter = NULL;
}

void *hr_node_add_port(hr_node *n, enum pw_direction direction, const char *name, const char *channel)
{
	struct pw_properties *props = pw_properties_new(PW_KEY_FORMAT_DSP, "32 bit float mono audio", PW_KEY_PORT_NAME,
							name, PW_KEY_AUDIO_CHANNEL, channel, NULL);
	if (props == NULL)
		return NULL;
	return pw_filter_add_port(n->filter, direction, PW_FILTER_PORT_FLAG_MAP_BUFFERS, 0, props, NULL, 0);
}

uint32_t hr_node_id(const hr_node *n) { return n->filter ? pw_filter_get_node_id(n->filter) : SPA_ID_INVALID; }

uint32_t hr_node_rate(hr_node *n) { return atomic_load_explicit(&n->graph_rate, memory_order_acquire); }

const float *hr_node_input(void *port, uint32_t *frames)
{
	struct pw_buffer *b = pw_filter_dequeue_buffer(port);
	if (b == NULL)
		return NULL;
	struct spa_data *d = &b->buffer->datas[0];
	const float *p = NULL;
	if (b->buffer->n_datas > 0 && d->data != NULL && d->chunk != NULL) {
		uint32_t off = SPA_MIN(d->chunk->offset, d->maxsize);
		*frames = SPA_MIN(d->chunk->size, d->maxsize - off) / (uint32_t)sizeof(float);
		p = SPA_PTROFF(d->data, off, const float);
	}
	pw_filter_queue_buffer(port, b);
	return p;
}

float *hr_node_output(void *port, uint32_t frames)
{
	struct pw_buffer *b = pw_filter_dequeue_buffer(port);
	if (b == NULL)
		return NULL;
	struct spa_data *d = &b->buffer->datas[0];
	float *p = NULL;
	if (b->buffer->n_datas > 0 && d->data != NULL && d->chunk != NULL && d->maxsize >= frames * sizeof(float)) {
		d->chunk->offset = 0;
		d->chunk->stride = sizeof(float);
		d->chunk->size = frames * (uint32_t)sizeof(float);
		d->chunk->flags = 0;
		p = d->data;
	} else if (b->buffer->n_datas > 0 && d->chunk != NULL) {
		d->chunk->size = 0;
	}
	/* queued now, written below in this same cycle (as pw_filter_get_dsp_buffer does) */
	pw_filter_queue_buffer(port, b);
	return p;
}
