/* The engine node: ONE passive pw_filter, headroom-engine, that does all the audio work in
 * one callback per graph cycle. Its ports: the bus's input (bus-in-FL, bus-in-FR, fed by
 * headroom-processed's monitor), the bus's output (bus-out-FL, bus-out-FR, into the real
 * sink) and a pair per tap slot (tap-<slot>-FL, tap-<slot>-FR, fed by an app). All are DSP
 * ports: 32-bit float mono at the graph's rate, no converter. Nobody but the filter-host
 * links it (no media class, node.autoconnect false): bus-links.c and tap-links.c do. Tells
 * its one listener (main.c) of state changes and runs its process hook on the data loop. */
#ifndef HR_HOST_NODE_H
#define HR_HOST_NODE_H

#include <stdatomic.h>

#include <pipewire/filter.h>
#include <pipewire/pipewire.h>

#include "host.h"

/* The bus's channels, and each tap's, as audio.channel names them. */
extern const char *const hr_channel_name[HR_BUS_CHANNELS];

struct hr_node_events {
#define HR_VERSION_NODE_EVENTS 0
	uint32_t version;
	/* main thread; error is set in the error state */
	void (*state_changed)(void *data, const char *error);
	/* RT: one graph cycle (position may be NULL) */
	void (*process)(void *data, struct spa_io_position *position);
};

typedef struct hr_node {
	struct pw_filter *filter;
	struct spa_hook filter_listener;
	const struct hr_node_events *events;
	void *data;
	_Atomic uint32_t graph_rate; /* RT -> main: the rate the node runs at (0: not yet) */
} hr_node;

/* Creates the node; its ports are added by the bus (before it connects) and the taps. */
int hr_node_init(hr_node *n, struct pw_core *core, const struct hr_node_events *events, void *data);
int hr_node_connect(hr_node *n);
void hr_node_fini(hr_node *n);
/* A DSP port named name (audio.channel channel); NULL with errno set. Never removed while
 * the node runs: pw_filter_remove_port frees the port while the data thread may be walking
 * the filter's port list (no lock guards it, on 0.3.65 or 1.4). */
void *hr_node_add_port(hr_node *n, enum pw_direction direction, const char *name, const char *channel);
/* Its registry id, or SPA_ID_INVALID until it has one. */
uint32_t hr_node_id(const hr_node *n);
/* The rate the last cycle ran at (0: none ran yet). */
uint32_t hr_node_rate(hr_node *n);

/* RT: an input port's samples this cycle, its buffer handed straight back (they stay valid
 * for the cycle); NULL when it has none (not linked). */
const float *hr_node_input(void *port, uint32_t *frames);
/* RT: an output port's buffer for frames samples this cycle, queued; NULL when it has none
 * (not linked) or it is too small. */
float *hr_node_output(void *port, uint32_t frames);

#endif
