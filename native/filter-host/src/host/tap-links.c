/* Tap links (main thread): each announced tap is linked to its app stream's output ports by
 * the filter-host itself (links.h) — channel by channel, a mono stream (or one with a single
 * output) into both of its slot's ports. */
#include <stdio.h>
#include <string.h>

#include "taps.h"

/* The (output port, input port) pairs the tap should have; at most max. The tap's inputs
 * are its slot's ports on the engine node (tap-<slot>-FL, tap-<slot>-FR). */
static int wanted(const hr_graph *g, const hr_tap *t, uint32_t pairs[][2], int max)
{
	char prefix[16];
	int len = snprintf(prefix, sizeof(prefix), "tap-%d-", (int)(t - t->taps->tap));
	const hr_node_info *app = hr_graph_node_by_serial(g, t->stream_serial);
	if (app == NULL || t->node_id == SPA_ID_INVALID)
		return 0;
	int outs = 0;
	for (size_t i = 0; i < g->n_ports; i++)
		outs += g->ports[i].node == app->id && g->ports[i].output && !g->ports[i].monitor;
	int n = 0;
	for (size_t i = 0; i < g->n_ports; i++) {
		const hr_port_info *o = &g->ports[i];
		if (o->node != app->id || !o->output || o->monitor)
			continue;
		for (size_t j = 0; j < g->n_ports && n < max; j++) {
			const hr_port_info *in = &g->ports[j];
			if (in->node != t->node_id || in->output || strncmp(in->name, prefix, (size_t)len) != 0)
				continue;
			if (outs == 1 || strcmp(o->channel, "MONO") == 0 || strcmp(o->channel, in->channel) == 0) {
				pairs[n][0] = o->id;
				pairs[n][1] = in->id;
				n++;
			}
		}
	}
	return n;
}

void hr_tap_links_sync(hr_taps *ts)
{
	for (int i = 0; i < HR_MAX_TAPS; i++) {
		hr_tap *t = &ts->tap[i];
		if (!t->used)
			continue;
		uint32_t pairs[HR_TAP_LINKS][2];
		int n = t->announced ? wanted(ts->graph, t, pairs, HR_TAP_LINKS) : 0;
		hr_links_sync(&t->link_owner, t->links, HR_TAP_LINKS, (const uint32_t(*)[2])pairs, n);
	}
}

void hr_tap_links_clear(hr_tap *t) { hr_links_clear(t->links, HR_TAP_LINKS); }

int hr_tap_links_own(hr_taps *ts, uint32_t proxy_id)
{
	if (hr_links_own(NULL, 0, &ts->link_failures, proxy_id))
		return 1;
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (ts->tap[i].used && hr_links_own(ts->tap[i].links, HR_TAP_LINKS, NULL, proxy_id))
			return 1;
	return 0;
}
