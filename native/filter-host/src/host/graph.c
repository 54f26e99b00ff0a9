/* The graph as the registry shows it (main thread): nodes by id with their serial and
 * name, ports, links, and stream volumes through our own connection. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spa/param/props.h>
#include <spa/pod/builder.h>

#include "graph.h"

#define graph_emit(g, m, ...) spa_hook_list_call(&(g)->listeners, struct hr_graph_events, m, 0, ##__VA_ARGS__)

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

const hr_node_info *hr_graph_node(const hr_graph *g, uint32_t id)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].id == id)
			return &g->nodes[i];
	return NULL;
}

const hr_node_info *hr_graph_node_by_name(const hr_graph *g, const char *name)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (strcmp(g->nodes[i].name, name) == 0)
			return &g->nodes[i];
	return NULL;
}

const hr_node_info *hr_graph_node_by_serial(const hr_graph *g, uint64_t serial)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].serial == serial)
			return &g->nodes[i];
	return NULL;
}

int hr_graph_port_exists(const hr_graph *g, uint32_t id)
{
	for (size_t i = 0; i < g->n_ports; i++)
		if (g->ports[i].id == id)
			return 1;
	return 0;
}

int hr_graph_port_linked(const hr_graph *g, uint32_t in_port)
{
	for (size_t i = 0; i < g->n_links; i++)
		if (g->links[i].in_port == in_port)
			return 1;
	return 0;
}

int hr_graph_link_exists(const hr_graph *g, uint32_t out_port, uint32_t in_port)
{
	for (size_t i = 0; i < g->n_links; i++)
		if (g->links[i].out_port == out_port && g->links[i].in_port == in_port)
			return 1;
	return 0;
}

uint32_t hr_graph_linked_from(const hr_graph *g, uint32_t out_node)
{
	uint32_t target = SPA_ID_INVALID;
	for (size_t i = 0; out_node != SPA_ID_INVALID && i < g->n_links; i++)
		if (g->links[i].out_node == out_node)
			target = g->links[i].in_node;
	return target;
}

static uint32_t prop_u32(const struct spa_dict *props, const char *key)
{
	const char *s = props ? spa_dict_lookup(props, key) : NULL;
	return s ? (uint32_t)strtoul(s, NULL, 10) : SPA_ID_INVALID;
}

static void on_global(void *data, uint32_t id, uint32_t permissions, const char *type, uint32_t version,
		      const struct spa_dict *props)
{
	hr_graph *g = data;
	if (strcmp(type, PW_TYPE_INTERFACE_Node) == 0) {
		if (grow((void **)&g->nodes, &g->cap_nodes, g->n_nodes, sizeof(*g->nodes)) < 0)
			return;
		hr_node_info *n = &g->nodes[g->n_nodes++];
		const char *serial = props ? spa_dict_lookup(props, PW_KEY_OBJECT_SERIAL) : NULL;
		const char *name = props ? spa_dict_lookup(props, PW_KEY_NODE_NAME) : NULL;
		n->id = id;
		n->serial = serial ? strtoull(serial, NULL, 10) : 0;
		snprintf(n->name, sizeof(n->name), "%s", name ? name : "");
		const char *media_class = props ? spa_dict_lookup(props, PW_KEY_MEDIA_CLASS) : NULL;
		n->app_stream = media_class && strcmp(media_class, "Stream/Output/Audio") == 0 &&
				spa_dict_lookup(props, "headroom.node") == NULL;
		graph_emit(g, node_added, n);
	} else if (strcmp(type, PW_TYPE_INTERFACE_Port) == 0) {
		if (grow((void **)&g->ports, &g->cap_ports, g->n_ports, sizeof(*g->ports)) < 0)
			return;
		hr_port_info *p = &g->ports[g->n_ports++];
		const char *dir = props ? spa_dict_lookup(props, PW_KEY_PORT_DIRECTION) : NULL;
		const char *mon = props ? spa_dict_lookup(props, PW_KEY_PORT_MONITOR) : NULL;
		const char *ch = props ? spa_dict_lookup(props, PW_KEY_AUDIO_CHANNEL) : NULL;
		const char *pname = props ? spa_dict_lookup(props, PW_KEY_PORT_NAME) : NULL;
		p->id = id;
		p->node = prop_u32(props, PW_KEY_NODE_ID);
		p->output = dir != NULL && strcmp(dir, "out") == 0;
		p->monitor = mon != NULL && strcmp(mon, "true") == 0;
		snprintf(p->channel, sizeof(p->channel), "%s", ch ? ch : "");
		snprintf(p->name, sizeof(p->name), "%s", pname ? pname : "");
		graph_emit(g, ports_changed);
	} else if (strcmp(type, PW_TYPE_INTERFACE_Link) == 0) {
		if (grow((void **)&g->links, &g->cap_links, g->n_links, sizeof(*g->links)) < 0)
			return;
		g->links[g->n_links++] = (hr_link_info){ id, prop_u32(props, PW_KEY_LINK_OUTPUT_NODE),
							 prop_u32(props, PW_KEY_LINK_INPUT_NODE),
							 prop_u32(props, PW_KEY_LINK_OUTPUT_PORT),
							 prop_u32(props, PW_KEY_LINK_INPUT_PORT) };
		graph_emit(g, links_changed);
	}
}

static void on_global_remove(void *data, uint32_t id)
{
	hr_graph *g = data;
	for (size_t i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].id == id)
			g->nodes[i] = g->nodes[--g->n_nodes];
	for (size_t i = 0; i < g->n_ports; i++)
		if (g->ports[i].id == id) {
			g->ports[i] = g->ports[--g->n_ports];
			graph_emit(g, ports_changed);
		}
	for (size_t i = 0; i < g->n_links; i++)
		if (g->links[i].id == id) {
			g->links[i] = g->links[--g->n_links];
			graph_emit(g, links_changed);
		}
}

static const struct pw_registry_events registry_events = {
	PW_VERSION_REGISTRY_EVENTS,
	.global = on_global,
	.global_remove = on_global_remove,
};

int hr_graph_init(hr_graph *g, struct pw_core *core)
{
	g->core = core;
	spa_hook_list_init(&g->listeners);
	g->registry = pw_core_get_registry(core, PW_VERSION_REGISTRY, 0);
	if (g->registry == NULL)
		return -errno;
	pw_registry_add_listener(g->registry, &g->registry_listener, &registry_events, g);
	return 0;
}

void hr_graph_fini(hr_graph *g)
{
	if (g->registry) {
		spa_hook_remove(&g->registry_listener);
		pw_proxy_destroy((struct pw_proxy *)g->registry);
	}
	free(g->nodes);
	free(g->links);
	free(g->ports);
}

void hr_graph_add_listener(hr_graph *g, struct spa_hook *listener, const struct hr_graph_events *events, void *data)
{
	spa_hook_list_append(&g->listeners, listener, events, data);
}
