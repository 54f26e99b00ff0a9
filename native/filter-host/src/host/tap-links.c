/* Tap links (main thread): each announced tap is linked to its app stream's output ports by
 * the filter-host itself, through the link factory on its own connection — channel by
 * channel, a mono stream (or one with a single output) into every tap input. The links are
 * owned by this connection: they go when the tap, the port or the filter-host goes, and are
 * made again on the next registry change that finds one missing. No process is started
 * per link, which matters when 50 apps start at once. */
#include <stdio.h>
#include <string.h>

#include "taps.h"

/* The (output port, input port) pairs the tap should have; at most max. The tap's inputs
 * are its slot's ports on the taps node (tap-<slot>-FL, tap-<slot>-FR). */
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

static void link_removed(void *data)
{
	hr_tap_link *l = data;
	pw_proxy_destroy(l->proxy);
}

static void link_destroyed(void *data)
{
	hr_tap_link *l = data;
	spa_hook_remove(&l->listener);
	l->proxy = NULL;
	l->out_port = l->in_port = 0;
}

static void link_error(void *data, int seq, int res, const char *message)
{
	hr_tap_link *l = data;
	/* (most often the app's port went as the link was made: its stream ended) */
	fprintf(stderr, "tap %u: cannot link port %u to %u: %s\n", l->tap->id, l->out_port, l->in_port,
		message ? message : "error");
	hr_taps *ts = l->tap->taps;
	ts->failed_links[ts->failed_next++ % SPA_N_ELEMENTS(ts->failed_links)] = pw_proxy_get_id(l->proxy);
	pw_proxy_destroy(l->proxy);
}

static const struct pw_proxy_events link_events = {
	PW_VERSION_PROXY_EVENTS,
	.removed = link_removed,
	.destroy = link_destroyed,
	.error = link_error,
};

static void create(hr_taps *ts, hr_tap *t, hr_tap_link *l, uint32_t out, uint32_t in)
{
	char o[16], i[16];
	snprintf(o, sizeof(o), "%u", out);
	snprintf(i, sizeof(i), "%u", in);
	struct pw_properties *props = pw_properties_new(PW_KEY_LINK_OUTPUT_PORT, o, PW_KEY_LINK_INPUT_PORT, i,
							PW_KEY_OBJECT_LINGER, "false", "headroom.node", "tap-link", NULL);
	if (props == NULL)
		return;
	l->proxy = pw_core_create_object(ts->core, "link-factory", PW_TYPE_INTERFACE_Link, PW_VERSION_LINK,
					 &props->dict, 0);
	pw_properties_free(props);
	if (l->proxy == NULL)
		return;
	l->tap = t;
	l->out_port = out;
	l->in_port = in;
	pw_proxy_add_listener(l->proxy, &l->listener, &link_events, l);
}

static void sync_tap(hr_taps *ts, hr_tap *t)
{
	uint32_t pairs[HR_TAP_LINKS][2];
	int n = t->used && t->announced ? wanted(ts->graph, t, pairs, HR_TAP_LINKS) : 0;
	for (int k = 0; k < HR_TAP_LINKS; k++) {
		hr_tap_link *l = &t->links[k];
		/* a link whose port went is being removed by PipeWire: its proxy goes on "removed"
		 * (destroying it here would name a resource the server no longer has) */
		int keep = l->proxy && (!hr_graph_port_exists(ts->graph, l->out_port) || !hr_graph_port_exists(ts->graph, l->in_port));
		for (int p = 0; l->proxy && p < n; p++)
			keep |= pairs[p][0] == l->out_port && pairs[p][1] == l->in_port;
		if (l->proxy && !keep)
			pw_proxy_destroy(l->proxy);
	}
	for (int p = 0; p < n; p++) {
		hr_tap_link *free_slot = NULL;
		int have = 0;
		for (int k = 0; k < HR_TAP_LINKS; k++) {
			hr_tap_link *l = &t->links[k];
			if (l->proxy == NULL)
				free_slot = free_slot ? free_slot : l;
			else
				have |= l->out_port == pairs[p][0] && l->in_port == pairs[p][1];
		}
		if (!have && free_slot)
			create(ts, t, free_slot, pairs[p][0], pairs[p][1]);
	}
}

void hr_tap_links_sync(hr_taps *ts)
{
	for (int i = 0; i < HR_MAX_TAPS; i++)
		if (ts->tap[i].used)
			sync_tap(ts, &ts->tap[i]);
}

void hr_tap_links_clear(hr_tap *t)
{
	for (int k = 0; k < HR_TAP_LINKS; k++)
		if (t->links[k].proxy)
			pw_proxy_destroy(t->links[k].proxy);
}

int hr_tap_links_own(hr_taps *ts, uint32_t proxy_id)
{
	for (size_t k = 0; k < SPA_N_ELEMENTS(ts->failed_links); k++)
		if (proxy_id != 0 && ts->failed_links[k] == proxy_id) {
			ts->failed_links[k] = 0; /* an id is reused by a later proxy */
			return 1;
		}
	for (int i = 0; i < HR_MAX_TAPS; i++)
		for (int k = 0; ts->tap[i].used && k < HR_TAP_LINKS; k++)
			if (ts->tap[i].links[k].proxy && pw_proxy_get_id(ts->tap[i].links[k].proxy) == proxy_id)
				return 1;
	return 0;
}
