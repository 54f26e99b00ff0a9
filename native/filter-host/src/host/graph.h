/* The graph as the registry shows it (main thread), and stream volumes set through our own
 * connection. Tells its listeners what changed; calls no other part of the host. */
#ifndef HR_HOST_GRAPH_H
#define HR_HOST_GRAPH_H

#include <pipewire/pipewire.h>
#include <spa/utils/hook.h>

typedef struct hr_node_info {
	uint32_t id;
	uint64_t serial;
	char name[128];
	int app_stream; /* an app's playback stream (Stream/Output/Audio, not headroom's own) */
} hr_node_info;

typedef struct hr_port_info {
	uint32_t id, node;
	int output, monitor;
	char channel[16];
	char name[48]; /* port.name */
} hr_port_info;

typedef struct hr_link_info {
	uint32_t id, out_node, in_node, out_port, in_port;
} hr_link_info;

struct hr_graph_events {
#define HR_VERSION_GRAPH_EVENTS 0
	uint32_t version;
	/* a node appeared (a removed one is only forgotten) */
	void (*node_added)(void *data, const hr_node_info *node);
	/* a port appeared or went */
	void (*ports_changed)(void *data);
	/* a link appeared or went */
	void (*links_changed)(void *data);
};

typedef struct hr_graph {
	struct pw_core *core;
	struct pw_registry *registry;
	struct spa_hook registry_listener;
	struct spa_hook_list listeners;
	hr_node_info *nodes;
	size_t n_nodes, cap_nodes;
	hr_port_info *ports;
	size_t n_ports, cap_ports;
	hr_link_info *links;
	size_t n_links, cap_links;
} hr_graph;

int hr_graph_init(hr_graph *g, struct pw_core *core);
void hr_graph_fini(hr_graph *g);
void hr_graph_add_listener(hr_graph *g, struct spa_hook *listener, const struct hr_graph_events *events, void *data);

const hr_node_info *hr_graph_node(const hr_graph *g, uint32_t id);
const hr_node_info *hr_graph_node_by_name(const hr_graph *g, const char *name);
const hr_node_info *hr_graph_node_by_serial(const hr_graph *g, uint64_t serial);
int hr_graph_port_exists(const hr_graph *g, uint32_t id);
/* Whether any link feeds the input port id. */
int hr_graph_port_linked(const hr_graph *g, uint32_t in_port);
/* Whether a link joins those two ports (anyone's). */
int hr_graph_link_exists(const hr_graph *g, uint32_t out_port, uint32_t in_port);
/* The node a link from out_node feeds (the last such link seen), or SPA_ID_INVALID. */
uint32_t hr_graph_linked_from(const hr_graph *g, uint32_t out_node);

#endif
