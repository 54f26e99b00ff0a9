/* headroom-filter-host: the live audio engine. Runs the bus DSP in PipeWire's real-time
 * callback, writes binary frames on stdout and reads commands on stdin (../wire.h).
 *
 *   headroom-filter-host --target SINK_NAME [--initial-gain-db DB]
 *                        [--initial-compressor-db DB] [--initial-limiter-db DB]
 *
 * The --initial-* values start the AGC at that gain (instead of 0 dB) and the compressor
 * and limiter holding that much reduction (instead of none): a filter-host restarted after
 * a crash continues where its predecessor was instead of blasting what it held back. *
 * Exit codes: 0 on stdin EOF, SIGTERM or SHUTDOWN (its node destroyed, the lingering
 * sink left in place); 1 when setup fails; 2 when PipeWire goes away. Each failure is one
 * line on stderr. The terminal's signals (Ctrl-C's SIGINT, a closed terminal's SIGHUP)
 * reach the whole process group: they are the supervisor's to act on, and the engine
 * plays on until the supervisor has handed every app back and closes its stdin.
 *
 * This file sets the parts up, wires their listeners and runs the bring-up (host.h lists
 * the parts): connecting (until the first registry sync) -> node (the sink if nobody
 * made it, the engine node and the bus's ports on it; until the sink and the node are in
 * the registry) -> ready (READY written). Each graph cycle the node's callback meters the
 * taps, then runs the bus. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "rt_trap.h"
#include "sink.h"
#include "tick.h"

enum stage { STAGE_CONNECTING, STAGE_NODE, STAGE_READY };

struct engine {
	struct pw_main_loop *main_loop;
	struct pw_loop *loop;
	struct pw_context *context;
	struct pw_core *core;
	struct spa_hook core_listener;
	int initial_sync;
	enum stage stage;
	int exit_code;
	struct pw_proxy *sink; /* when this engine made it */

	hr_output out;
	hr_graph graph;
	hr_node node;
	hr_bus bus; /* megabytes of fixed DSP state: the engine is not on the stack */
	hr_taps taps;
	hr_guard guard;
	hr_tick tick;
	hr_commands commands;
	struct spa_hook graph_listener, bus_listener, taps_listener, commands_listener;
};

static void quit(struct engine *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void quit(struct engine *e, int code, const char *fmt, ...)
{
	if (fmt != NULL && e->exit_code == HR_EXIT_OK) {
		va_list ap;
		va_start(ap, fmt);
		fputs("filter-host: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	if (e->exit_code == HR_EXIT_OK)
		e->exit_code = code;
	pw_main_loop_quit(e->main_loop);
}

/* node -> ready: READY once the sink and the engine node are in the registry, then
 * what the output feeds (it may have linked before its node was known). */
static void advance(struct engine *e)
{
	if (e->stage != STAGE_NODE)
		return;
	hr_frame_ready f = { 0 };
	hr_bus_describe(&e->bus, &f);
	const hr_node_info *sink = hr_graph_node_by_name(&e->graph, HR_SINK_NAME);
	const hr_node_info *engine = hr_graph_node(&e->graph, f.capture_id);
	if (sink == NULL || engine == NULL)
		return;
	f.sink_id = sink->id;
	f.sink_serial = sink->serial;
	f.capture_serial = f.playback_serial = engine->serial;
	hr_output_ready(&e->out, &f);
	e->stage = STAGE_READY;
	hr_bus_check_target(&e->bus);
}

static void on_node_state(void *data, const char *error)
{
	struct engine *e = data;
	if (error != NULL) {
		char text[HR_WIRE_TEXT_LEN];
		snprintf(text, sizeof(text), "engine node: %s", error);
		hr_output_event(&e->out, HR_EVENT_STREAM_ERROR, 0, 0, 0, text);
		/* no node, no sound: the supervisor starts a new filter-host */
		quit(e, HR_EXIT_LOST, "%s", text);
		return;
	}
	advance(e);
}

/* RT: one graph cycle. The taps first: a young app's loud start they hear is cut on the bus
 * in this same cycle (the onset bridge). */
static void on_node_process(void *data, struct spa_io_position *position)
{
	struct engine *e = data;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	hr_taps_process(&e->taps);
	hr_bus_process(&e->bus, position, &t0);
}

static const struct hr_node_events node_events = {
	HR_VERSION_NODE_EVENTS,
	.state_changed = on_node_state,
	.process = on_node_process,
};

/* connecting -> node: after the first registry sync, the sink if nobody has made it,
 * then the engine node with the bus's ports. */
static void on_core_done(void *data, uint32_t id, int seq)
{
	struct engine *e = data;
	if (id != PW_ID_CORE || seq != e->initial_sync || e->stage != STAGE_CONNECTING)
		return;
	if (hr_graph_node_by_name(&e->graph, HR_SINK_NAME) == NULL && (e->sink = hr_sink_create(e->core)) == NULL) {
		quit(e, HR_EXIT_SETUP, "cannot create the %s sink: %s", HR_SINK_NAME, strerror(errno));
		return;
	}
	int r = hr_node_init(&e->node, e->core, &node_events, e);
	if (r >= 0)
		r = hr_bus_start(&e->bus);
	if (r >= 0)
		r = hr_node_connect(&e->node);
	if (r < 0) {
		quit(e, HR_EXIT_SETUP, "cannot create the engine node: %s", strerror(-r));
		return;
	}
	e->stage = STAGE_NODE; /* only now: READY describes the node and the bus's chain */
}

static void on_core_error(void *data, uint32_t id, int seq, int res, const char *message)
{
	struct engine *e = data;
	if (id == PW_ID_CORE && res == -EPIPE)
		quit(e, HR_EXIT_LOST, "lost the connection to PipeWire (%s)", message ? message : "broken pipe");
	else if (id == PW_ID_CORE && res == -ENOENT) /* "unknown resource": an object that went first */
		fprintf(stderr, "filter-host: PipeWire: %s\n", message ? message : "unknown resource");
	else if (id == PW_ID_CORE)
		quit(e, HR_EXIT_LOST, "PipeWire error: %s", message ? message : strerror(-res));
	else if (!hr_tap_links_own(&e->taps, id) && !hr_bus_links_own(&e->bus, id)) /* a link's own handler reports those */
		hr_output_event(&e->out, HR_EVENT_STREAM_ERROR, id, 0, 0, message ? message : strerror(-res));
}

static const struct pw_core_events core_events = {
	PW_VERSION_CORE_EVENTS,
	.done = on_core_done,
	.error = on_core_error,
};

static void on_node_added(void *data, const hr_node_info *node) { advance(data); }

static const struct hr_graph_events graph_events = {
	HR_VERSION_GRAPH_EVENTS,
	.node_added = on_node_added,
};

static void on_bus_error(void *data, const char *text)
{
	struct engine *e = data;
	hr_output_event(&e->out, HR_EVENT_STREAM_ERROR, 0, 0, 0, text);
}

static void on_bus_format(void *data, uint32_t rate, uint32_t channels)
{
	struct engine *e = data;
	hr_output_event(&e->out, HR_EVENT_FORMAT_CHANGED, rate, channels, 0, "");
	advance(e);
}

static void on_bus_target(void *data, uint32_t was, uint32_t now)
{
	struct engine *e = data;
	const hr_node_info *n = hr_graph_node(&e->graph, now == SPA_ID_INVALID ? was : now);
	if (now == SPA_ID_INVALID)
		hr_output_event(&e->out, HR_EVENT_TARGET_LOST, was, 0, 0, n ? n->name : "");
	else
		hr_output_event(&e->out, HR_EVENT_TARGET_LINKED, now, 0, n ? n->serial : 0, n ? n->name : "");
}

static const struct hr_bus_events bus_events = {
	HR_VERSION_BUS_EVENTS,
	.error = on_bus_error,
	.format_changed = on_bus_format,
	.target_changed = on_bus_target,
};

static void on_tap_ready(void *data, uint32_t tap_id, const hr_node_info *node)
{
	struct engine *e = data;
	hr_output_event(&e->out, HR_EVENT_TAP_READY, tap_id, node->id, node->serial, node->name);
}

static void on_tap_removed(void *data, uint32_t tap_id)
{
	struct engine *e = data;
	hr_output_event(&e->out, HR_EVENT_TAP_REMOVED, tap_id, 0, 0, "");
}

static const struct hr_taps_events taps_events = {
	HR_VERSION_TAPS_EVENTS,
	.tap_ready = on_tap_ready,
	.tap_removed = on_tap_removed,
};

static void on_commands_ended(void *data) { quit(data, HR_EXIT_OK, NULL); }

static const struct hr_commands_events commands_events = {
	HR_VERSION_COMMANDS_EVENTS,
	.ended = on_commands_ended,
};

static void on_signal(void *data, int signal_number) { quit(data, HR_EXIT_OK, NULL); }

/* The parts, from the bottom up; each adds its listeners to the parts below it, the engine
 * first (it hears of a new node before the taps do: READY before TAP_READY). */
static int setup(struct engine *e, const hr_args *args)
{
	int r;
	struct pw_loop *data_loop = pw_data_loop_get_loop(pw_context_get_data_loop(e->context));
	pw_core_add_listener(e->core, &e->core_listener, &core_events, e);
	if ((r = hr_output_init(&e->out, e->loop)) < 0 || (r = hr_graph_init(&e->graph, e->core)) < 0)
		return r;
	hr_graph_add_listener(&e->graph, &e->graph_listener, &graph_events, e);
	hr_bus_init(&e->bus, e->core, data_loop, &e->graph, &e->node, args->target, args->initial_gain_db,
		    args->initial_comp_gr_db, args->initial_lim_gr_db);
	hr_bus_add_listener(&e->bus, &e->bus_listener, &bus_events, e);
	hr_taps_init(&e->taps, e->core, data_loop, &e->graph, &e->node, &e->bus);
	hr_taps_add_listener(&e->taps, &e->taps_listener, &taps_events, e);
	if ((r = hr_guard_init(&e->guard, e->loop, &e->taps)) < 0 ||
	    (r = hr_commands_init(&e->commands, e->loop, &e->out, &e->graph, &e->bus, &e->taps, &e->guard)) < 0)
		return r;
	hr_commands_add_listener(&e->commands, &e->commands_listener, &commands_events, e);
	e->initial_sync = pw_core_sync(e->core, PW_ID_CORE, 0);
	return hr_tick_init(&e->tick, e->loop, &e->out, &e->bus, &e->taps);
}

static void teardown(struct engine *e)
{
	hr_tick_fini(&e->tick);
	hr_guard_fini(&e->guard);
	hr_node_fini(&e->node); /* first: its callback runs the taps and the bus */
	hr_taps_fini(&e->taps);
	hr_bus_fini(&e->bus);
	if (e->sink)
		pw_proxy_destroy(e->sink); /* the node lingers: object.linger */
	hr_graph_fini(&e->graph);
	spa_hook_remove(&e->core_listener);
	hr_commands_fini(&e->commands);
}

int main(int argc, char **argv)
{
	hr_args args = { 0 };
	int code = hr_args_parse(argc, argv, &args);
	if (code >= 0)
		return code;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	pw_init(&argc, &argv);
	hr_rt_trap_init();
	struct engine *e = calloc(1, sizeof(*e));
	if (e == NULL) {
		fputs("filter-host: out of memory\n", stderr);
		return HR_EXIT_SETUP;
	}
	code = HR_EXIT_SETUP;

	e->main_loop = pw_main_loop_new(NULL);
	if (e->main_loop == NULL) {
		fprintf(stderr, "filter-host: cannot create a main loop: %s\n", strerror(errno));
		goto out_free;
	}
	e->loop = pw_main_loop_get_loop(e->main_loop);
	pw_loop_add_signal(e->loop, SIGTERM, on_signal, e);

	/* client-rt.conf: the data thread gets real-time priority */
	e->context = pw_context_new(e->loop, pw_properties_new(PW_KEY_CONFIG_NAME, "client-rt.conf", NULL), 0);
	if (e->context == NULL) {
		fprintf(stderr, "filter-host: cannot create a PipeWire context: %s\n", strerror(errno));
		goto out_loop;
	}
	e->core = pw_context_connect(e->context, NULL, 0);
	if (e->core == NULL) {
		fprintf(stderr, "filter-host: cannot connect to PipeWire (%s); is it running? "
				"Try: systemctl --user start pipewire wireplumber\n", strerror(errno));
		goto out_context;
	}
	int r = setup(e, &args);
	if (r < 0) {
		fprintf(stderr, "filter-host: setup failed: %s\n", strerror(-r));
		goto out_core;
	}
	hr_output_hello(&e->out, &(hr_frame_hello){ HR_WIRE_VERSION, (uint32_t)getpid(), HR_P__COUNT, HR_MAX_TAPS });

	pw_main_loop_run(e->main_loop);
	code = e->exit_code;

out_core:
	teardown(e);
	pw_core_disconnect(e->core);
	hr_output_fini(&e->out);
out_context:
	pw_context_destroy(e->context);
out_loop:
	pw_main_loop_destroy(e->main_loop);
out_free:
	free(e);
	pw_deinit();
	return code;
}
