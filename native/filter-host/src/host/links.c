/* The filter-host's own links (links.h). */
#include <stdio.h>

#include "host.h"
#include "links.h"

static void hold(hr_link *l)
{
	hr_link_owner *o = l->owner;
	o->hold[o->hold_next++ % SPA_N_ELEMENTS(o->hold)] = (hr_link_hold){ l->out_port, l->in_port, hr_now_ns() + HR_LINK_HOLD_NS };
}

static int held(const hr_link_owner *o, uint32_t out, uint32_t in, uint64_t now)
{
	for (size_t k = 0; k < SPA_N_ELEMENTS(o->hold); k++)
		if (o->hold[k].out_port == out && o->hold[k].in_port == in && now < o->hold[k].until_ns)
			return 1;
	return 0;
}

static void link_removed(void *data)
{
	hr_link *l = data;
	/* gone so soon, while both ports stay: PipeWire could not make it work (a port that
	 * goes takes its links first, and is then re-made only if it comes back) */
	if (hr_now_ns() - l->made_ns < 1000000000ull)
		hold(l);
	pw_proxy_destroy(l->proxy);
}

static void link_destroyed(void *data)
{
	hr_link *l = data;
	spa_hook_remove(&l->listener);
	l->proxy = NULL;
	l->out_port = l->in_port = 0;
}

static void link_error(void *data, int seq, int res, const char *message)
{
	hr_link *l = data;
	hr_link_owner *o = l->owner;
	/* (most often a port went as the link was made: an app's stream ended) */
	fprintf(stderr, "%s %u: cannot link port %u to %u: %s\n", o->what, o->id, l->out_port, l->in_port,
		message ? message : "error");
	o->failures->id[o->failures->next++ % SPA_N_ELEMENTS(o->failures->id)] = pw_proxy_get_id(l->proxy);
	hold(l);
	pw_proxy_destroy(l->proxy);
}

static const struct pw_proxy_events link_events = {
	PW_VERSION_PROXY_EVENTS,
	.removed = link_removed,
	.destroy = link_destroyed,
	.error = link_error,
};

static void create(hr_link_owner *o, hr_link *l, uint32_t out, uint32_t in)
{
	char op[16], ip[16];
	snprintf(op, sizeof(op), "%u", out);
	snprintf(ip, sizeof(ip), "%u", in);
	struct pw_properties *props = pw_properties_new(PW_KEY_LINK_OUTPUT_PORT, op, PW_KEY_LINK_INPUT_PORT, ip,
							PW_KEY_LINK_PASSIVE, o->passive ? "true" : "false", PW_KEY_OBJECT_LINGER, "false",
							"headroom.node", o->tag, NULL);
	if (props == NULL)
		return;
	l->proxy = pw_core_create_object(o->core, "link-factory", PW_TYPE_INTERFACE_Link, PW_VERSION_LINK, &props->dict, 0);
	pw_properties_free(props);
	if (l->proxy == NULL)
		return;
	l->owner = o;
	l->out_port = out;
	l->in_port = in;
	l->made_ns = hr_now_ns();
	pw_proxy_add_listener(l->proxy, &l->listener, &link_events, l);
}

void hr_links_sync(hr_link_owner *o, hr_link *links, int max, const uint32_t (*pairs)[2], int n)
{
	uint64_t now = hr_now_ns();
	for (int k = 0; k < max; k++) {
		hr_link *l = &links[k];
		/* a link whose port went is being removed by PipeWire: its proxy goes on "removed"
		 * (destroying it here would name a resource the server no longer has) */
		int keep = l->proxy && (!hr_graph_port_exists(o->graph, l->out_port) || !hr_graph_port_exists(o->graph, l->in_port));
		for (int p = 0; l->proxy && p < n; p++)
			keep |= pairs[p][0] == l->out_port && pairs[p][1] == l->in_port;
		if (l->proxy && !keep)
			pw_proxy_destroy(l->proxy);
	}
	for (int p = 0; p < n; p++) {
		hr_link *free_slot = NULL;
		int have = 0;
		for (int k = 0; k < max; k++) {
			hr_link *l = &links[k];
			if (l->proxy == NULL)
				free_slot = free_slot ? free_slot : l;
			else
				have |= l->out_port == pairs[p][0] && l->in_port == pairs[p][1];
		}
		if (!have && free_slot && !held(o, pairs[p][0], pairs[p][1], now) &&
		    !hr_graph_link_exists(o->graph, pairs[p][0], pairs[p][1]))
			create(o, free_slot, pairs[p][0], pairs[p][1]);
	}
}

void hr_links_clear(hr_link *links, int max)
{
	for (int k = 0; k < max; k++)
		if (links[k].proxy)
			pw_proxy_destroy(links[k].proxy);
}

int hr_links_own(const hr_link *links, int max, hr_link_failures *f, uint32_t proxy_id)
{
	for (size_t k = 0; f != NULL && k < SPA_N_ELEMENTS(f->id); k++)
		if (proxy_id != 0 && f->id[k] == proxy_id) {
			f->id[k] = 0; /* an id is reused by a later proxy */
			return 1;
		}
	for (int k = 0; k < max; k++)
		if (links[k].proxy && pw_proxy_get_id(links[k].proxy) == proxy_id)
			return 1;
	return 0;
}
