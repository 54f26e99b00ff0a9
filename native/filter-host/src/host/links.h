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

/* A pair of ports whose link failed (an error, or removed by PipeWire within a second of
 * being made: a format it cannot agree on): not tried again before until_ns. */
typedef struct hr_link_hold {
	uint32_t out_port, in_port;
	uint64_t until_ns; /* CLOCK_MONOTONIC */
} hr_link_hold;

#define HR_LINK_HOLD_NS (2 * 1000000000ull)

/* Who a set of links belongs to: what its messages call it, and its links' tag. */
typedef struct hr_link_owner {
	struct pw_core *core;
	const hr_graph *graph;
	const char *what; /* "tap", "bus" */
	uint32_t id;
	const char *tag;  /* the links' headroom.node */
	/* link.passive (PipeWire >= 0.3.68's link factory drops it unless allowed: there the
	 * engine's node.passive is what makes its links passive) */
	int passive;
	hr_link_failures *failures;
	hr_link_hold hold[4];
	uint32_t hold_next;
} hr_link_owner;

typedef struct hr_link {
	hr_link_owner *owner;
	uint32_t out_port, in_port;
	uint64_t made_ns;
	struct pw_proxy *proxy;
	struct spa_hook listener;
} hr_link;

/* Keeps exactly the wanted (output port, input port) pairs among links[0..max): makes none
 * where a link (anyone's) already joins the pair, nor for a pair held after a failure. */
void hr_links_sync(hr_link_owner *owner, hr_link *links, int max, const uint32_t (*pairs)[2], int n);
void hr_links_clear(hr_link *links, int max);
/* Whether a proxy id is one of these links' or a failed one's (which it then forgets). */
int hr_links_own(const hr_link *links, int max, hr_link_failures *failures, uint32_t proxy_id);

#endif
