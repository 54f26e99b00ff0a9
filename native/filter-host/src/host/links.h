/* Links the filter-host makes itself (main thread), through the link factory on its own
 * connection: owned by it, they go when a port or the filter-host goes, and are made again
 * on the next registry change that finds one missing. No process is started per link,
 * which matters when 50 apps start at once. A set of links is synced to the pairs of
 * ports it should have now. */
#ifndef HR_HOST_LINKS_H
#define HR_HOST_LINKS_H

#include <pipewire/pipewire.h>
#include <spa/utils/hook.h>

#include "graph.h"

/* The proxy ids of links that failed, until the core's listener has seen their error too:
 * PipeWire hands it to the core's listeners after the link's own handler has dropped the
 * link (0: none; 0 is the core's own id). */
typedef struct hr_link_failures {
	uint32_t id[4];
	uint32_t next;
} hr_link_failures;

/* Who a set of links belongs to: what its messages call it, and its links' tag. */
typedef struct hr_link_owner {
	struct pw_core *core;
	const hr_graph *graph;
	const char *what; /* "tap", "bus" */
	uint32_t id;
	const char *tag;  /* the links' headroom.node */
	int passive;      /* link.passive: the link alone keeps neither end running */
	hr_link_failures *failures;
} hr_link_owner;

typedef struct hr_link {
	const hr_link_owner *owner;
	uint32_t out_port, in_port;
	struct pw_proxy *proxy;
	struct spa_hook listener;
} hr_link;

/* Keeps exactly the wanted (output port, input port) pairs among links[0..max). */
void hr_links_sync(const hr_link_owner *owner, hr_link *links, int max, const uint32_t (*pairs)[2], int n);
void hr_links_clear(hr_link *links, int max);
/* Whether a proxy id is one of these links' or a failed one's (which it then forgets). */
int hr_links_own(const hr_link *links, int max, hr_link_failures *failures, uint32_t proxy_id);

#endif
