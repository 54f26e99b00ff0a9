/* Commands on stdin, decoded strictly (wire.c) and applied on the main loop through the
 * setters of the bus, the taps and the graph; every command gets an ACK or an ERROR. */
#ifndef HR_HOST_COMMANDS_H
#define HR_HOST_COMMANDS_H

#include <pipewire/pipewire.h>
#include <spa/utils/hook.h>

#include "bus.h"
#include "graph.h"
#include "guard.h"
#include "output.h"
#include "taps.h"

struct hr_commands_events {
#define HR_VERSION_COMMANDS_EVENTS 0
	uint32_t version;
	/* stdin closed (the supervisor is gone) or SHUTDOWN (acked): time to go */
	void (*ended)(void *data);
};

typedef struct hr_commands {
	struct pw_loop *loop;
	struct spa_source *source;
	hr_output *out;
	hr_graph *graph;
	hr_bus *bus;
	hr_taps *taps;
	hr_guard *guard;
	struct spa_hook_list listeners;
	uint8_t in_buf[4 * (HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD)];
	size_t in_len;
} hr_commands;

int hr_commands_init(hr_commands *cs, struct pw_loop *loop, hr_output *out, hr_graph *graph, hr_bus *bus, hr_taps *taps,
		     hr_guard *guard);
void hr_commands_fini(hr_commands *cs);
void hr_commands_add_listener(hr_commands *cs, struct spa_hook *listener, const struct hr_commands_events *events,
			      void *data);

#endif
