/* The bus's links (main thread, links.h): headroom-processed's monitor ports into the
 * engine's bus-in ports, and its bus-out ports into the real sink, channel by channel. */
#include <string.h>

#include "bus.h"

/* The engine's port of the bus named prefix + channel, or NULL. */
static const hr_port_info *engine_port(const hr_graph *g, uint32_t engine, int output, const char *channel)
{
	const char *prefix = output ? "bus-out-" : "bus-in-";
	size_t len = strlen(prefix);
	for (size_t i = 0; i < g->n_ports; i++) {
		const hr_port_info *p = &g->ports[i];
		if (p->node == engine && p->output == output && strncmp(p->name, prefix, len) == 0 &&
		    strcmp(p->name + len, channel) == 0)
			return p;
	}
	return NULL;
}

static int add(uint32_t pairs[][2], int n, int max, const hr_port_info *out, const hr_port_info *in)
{
	if (out == NULL || in == NULL || n >= max)
		return n;
	pairs[n][0] = out->id;
	pairs[n][1] = in->id;
	return n + 1;
}

static int wanted(hr_bus *bus, uint32_t pairs[][2], int max)
{
	const hr_graph *g = bus->graph;
	uint32_t engine = hr_node_id(bus->node);
	const hr_node_info *sink = hr_graph_node_by_name(g, HR_SINK_NAME);
	const hr_node_info *target = bus->target[0] ? hr_graph_node_by_name(g, bus->target) : NULL;
	if (engine == SPA_ID_INVALID || hr_graph_node(g, engine) == NULL)
		return 0;
	int n = 0;
	for (size_t i = 0; sink != NULL && i < g->n_ports; i++) {
		const hr_port_info *p = &g->ports[i];
		if (p->node == sink->id && p->output && p->monitor)
			n = add(pairs, n, max, p, engine_port(g, engine, 0, p->channel));
	}
	if (target == NULL || target->id == engine || (sink != NULL && target->id == sink->id))
		return n;
	/* FL into FL, FR into FR; a sink with neither gets FL and FR in its ports' id order (a
	 * mono sink FL alone: the bus then plays both channels at half into it, bus.c) */
	const hr_port_info *ins[HR_BUS_CHANNELS] = { NULL };
	int matched = 0;
	for (size_t i = 0; i < g->n_ports; i++) {
		const hr_port_info *p = &g->ports[i];
		if (p->node != target->id || p->output)
			continue;
		for (int c = 0; c < HR_BUS_CHANNELS; c++)
			if (strcmp(p->channel, hr_channel_name[c]) == 0) {
				n = add(pairs, n, max, engine_port(g, engine, 1, hr_channel_name[c]), p);
				matched++;
			}
		/* the lowest ids, in order */
		for (int k = 0; k < HR_BUS_CHANNELS; k++)
			if (ins[k] == NULL || p->id < ins[k]->id) {
				for (int j = HR_BUS_CHANNELS - 1; j > k; j--)
					ins[j] = ins[j - 1];
				ins[k] = p;
				break;
			}
	}
	for (int c = 0; matched == 0 && c < HR_BUS_CHANNELS && ins[c] != NULL; c++)
		n = add(pairs, n, max, engine_port(g, engine, 1, hr_channel_name[c]), ins[c]);
	return n;
}

void hr_bus_links_sync(hr_bus *bus)
{
	uint32_t pairs[HR_BUS_LINKS][2];
	int n = wanted(bus, pairs, HR_BUS_LINKS);
	hr_links_sync(&bus->link_owner, bus->links, HR_BUS_LINKS, (const uint32_t(*)[2])pairs, n);
}

uint32_t hr_bus_links_outputs(hr_bus *bus)
{
	const hr_graph *g = bus->graph;
	uint32_t engine = hr_node_id(bus->node), mask = 0;
	for (int c = 0; c < HR_BUS_CHANNELS && engine != SPA_ID_INVALID; c++) {
		const hr_port_info *p = engine_port(g, engine, 1, hr_channel_name[c]);
		for (size_t i = 0; p != NULL && i < g->n_links; i++)
			if (g->links[i].out_port == p->id)
				mask |= 1u << c;
	}
	return mask;
}

int hr_bus_links_own(hr_bus *bus, uint32_t proxy_id)
{
	return hr_links_own(bus->links, HR_BUS_LINKS, &bus->link_failures, proxy_id);
}
