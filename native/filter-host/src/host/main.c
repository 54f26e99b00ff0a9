/* headroom-filter-host: the live audio engine. Runs the bus DSP in PipeWire's real-time
 * callback, writes binary frames on stdout and reads commands on stdin (../wire.h).
 *
 *   headroom-filter-host --target SINK_NAME [--initial-gain-db DB]
 *                        [--initial-compressor-db DB] [--initial-limiter-db DB]
 *
 * The --initial-* values start the AGC at that gain (instead of 0 dB) and the compressor
 * and limiter holding that much reduction (instead of none): a filter-host restarted after
 * a crash continues where its predecessor was instead of blasting what it held back. *
 * Exit codes: 0 on stdin EOF, SIGTERM or SHUTDOWN (its streams destroyed, the lingering
 * sink left in place); 1 when setup fails; 2 when PipeWire goes away. Each failure is one
 * line on stderr. The terminal's signals (Ctrl-C's SIGINT, a closed terminal's SIGHUP)
 * reach the whole process group: they are the supervisor's to act on, and the engine
 * plays on until the supervisor has handed every app back and closes its stdin. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "rt_trap.h"

void hr_quit(hr_host *h, int code, const char *fmt, ...)
{
	if (fmt != NULL && h->exit_code == HR_EXIT_OK) {
		va_list ap;
		va_start(ap, fmt);
		fputs("filter-host: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	if (h->exit_code == HR_EXIT_OK)
		h->exit_code = code;
	pw_main_loop_quit(h->main_loop);
}

static void on_signal(void *data, int signal_number) { hr_quit(data, HR_EXIT_OK, NULL); }

static int usage(const char *argv0, FILE *out)
{
	fprintf(out, "usage: %s --target SINK_NAME [--initial-gain-db DB] [--initial-compressor-db DB] [--initial-limiter-db DB]\n"
		     "Plays the headroom bus (the %s sink, processed) into SINK_NAME.\n"
		     "Frames on stdout, commands on stdin: see wire.h. Exit 0 on stdin EOF.\n",
		argv0, HR_SINK_NAME);
	return out == stderr ? HR_EXIT_SETUP : HR_EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *target = NULL;
	/* where the bus starts: AGC gain, compressor and limiter reduction, in this order */
	static const struct { const char *flag; double min, max; } dbs[] = {
		{ "--initial-gain-db", -60.0, 30.0 }, { "--initial-compressor-db", 0.0, 60.0 }, { "--initial-limiter-db", 0.0, 60.0 },
	};
	enum { N_INITIAL = sizeof(dbs) / sizeof(dbs[0]) };
	double initial[N_INITIAL] = { 0.0 };
	for (int i = 1; i < argc; i++) {
		int k = 0;
		while (k < N_INITIAL && strcmp(argv[i], dbs[k].flag) != 0)
			k++;
		if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
			target = argv[++i];
		else if (k < N_INITIAL && i + 1 < argc) {
			char *end;
			initial[k] = strtod(argv[++i], &end);
			if (*end != 0 || !(initial[k] >= dbs[k].min && initial[k] <= dbs[k].max)) {
				fprintf(stderr, "filter-host: %s needs a number of dB in [%g, %g], got '%s'\n", dbs[k].flag, dbs[k].min, dbs[k].max, argv[i]);
				return HR_EXIT_SETUP;
			}
		}
		else if (strcmp(argv[i], "--help") == 0)
			return usage(argv[0], stdout);
		else {
			fprintf(stderr, "filter-host: unknown argument '%s'\n", argv[i]);
			return usage(argv[0], stderr);
		}
	}
	if (target == NULL || target[0] == 0 || strlen(target) >= HR_WIRE_NAME_LEN ||
	    strcmp(target, HR_SINK_NAME) == 0) {
		fprintf(stderr, "filter-host: --target needs the node.name of a real sink (not %s)\n", HR_SINK_NAME);
		return HR_EXIT_SETUP;
	}

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	pw_init(&argc, &argv);
	hr_rt_trap_init();
	hr_host *h = calloc(1, sizeof(*h)); /* megabytes of fixed DSP state: not on the stack */
	if (h == NULL) {
		fputs("filter-host: out of memory\n", stderr);
		return HR_EXIT_SETUP;
	}
	snprintf(h->target, sizeof(h->target), "%s", target);
	h->initial_gain_db = initial[0];
	h->initial_comp_gr_db = initial[1];
	h->initial_lim_gr_db = initial[2];
	int code = HR_EXIT_SETUP;

	h->main_loop = pw_main_loop_new(NULL);
	if (h->main_loop == NULL) {
		fprintf(stderr, "filter-host: cannot create a main loop: %s\n", strerror(errno));
		goto out_free;
	}
	h->loop = pw_main_loop_get_loop(h->main_loop);
	pw_loop_add_signal(h->loop, SIGTERM, on_signal, h);

	/* client-rt.conf: the data thread gets real-time priority */
	h->context = pw_context_new(h->loop, pw_properties_new(PW_KEY_CONFIG_NAME, "client-rt.conf", NULL), 0);
	if (h->context == NULL) {
		fprintf(stderr, "filter-host: cannot create a PipeWire context: %s\n", strerror(errno));
		goto out_loop;
	}
	h->data_loop = pw_data_loop_get_loop(pw_context_get_data_loop(h->context));
	h->core = pw_context_connect(h->context, NULL, 0);
	if (h->core == NULL) {
		fprintf(stderr, "filter-host: cannot connect to PipeWire (%s); is it running? "
				"Try: systemctl --user start pipewire wireplumber\n", strerror(errno));
		goto out_context;
	}
	if (hr_output_init(h) < 0 || hr_commands_init(h) < 0 || hr_graph_init(h) < 0 || hr_tick_init(h) < 0) {
		fprintf(stderr, "filter-host: setup failed: %s\n", strerror(errno));
		goto out_core;
	}
	hr_send_hello(h);

	pw_main_loop_run(h->main_loop);
	code = h->exit_code;

out_core:
	if (h->tick_timer)
		pw_loop_destroy_source(h->loop, h->tick_timer);
	hr_taps_fini(h);
	hr_bus_fini(h);
	hr_graph_fini(h);
	hr_commands_fini(h);
	pw_core_disconnect(h->core);
	hr_output_fini(h);
out_context:
	pw_context_destroy(h->context);
out_loop:
	pw_main_loop_destroy(h->main_loop);
out_free:
	free(h);
	pw_deinit();
	return code;
}
