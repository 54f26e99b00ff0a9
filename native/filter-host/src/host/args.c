/* The command line (getopt_long): --target and where the bus starts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "host.h"

static int usage(const char *argv0, FILE *out)
{
	fprintf(out, "usage: %s --target SINK_NAME [--initial-gain-db DB] [--initial-compressor-db DB] [--initial-limiter-db DB]\n"
		     "Plays the headroom bus (the %s sink, processed) into SINK_NAME.\n"
		     "Frames on stdout, commands on stdin: see wire.h. Exit 0 on stdin EOF.\n",
		argv0, HR_SINK_NAME);
	return out == stderr ? HR_EXIT_SETUP : HR_EXIT_OK;
}

/* where the bus starts: AGC gain, compressor and limiter reduction, in this order */
static const struct { const char *flag; double min, max; } initial_dbs[] = {
	{ "initial-gain-db", -60.0, 30.0 }, { "initial-compressor-db", 0.0, 60.0 }, { "initial-limiter-db", 0.0, 60.0 },
};
enum { OPT_TARGET = 't', OPT_HELP = 'h', OPT_INITIAL = 0x100 };

int hr_args_parse(int argc, char **argv, hr_args *a)
{
	static const struct option options[] = {
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "initial-gain-db", required_argument, NULL, OPT_INITIAL + 0 },
		{ "initial-compressor-db", required_argument, NULL, OPT_INITIAL + 1 },
		{ "initial-limiter-db", required_argument, NULL, OPT_INITIAL + 2 },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	opterr = 0; /* the messages below are the filter-host's own */
	while ((opt = getopt_long(argc, argv, "+:", options, NULL)) != -1) {
		if (opt == OPT_TARGET) {
			a->target = optarg;
		} else if (opt >= OPT_INITIAL && opt < OPT_INITIAL + 3) {
			int k = opt - OPT_INITIAL;
			char *end;
			double *v = k == 0 ? &a->initial_gain_db : k == 1 ? &a->initial_comp_gr_db : &a->initial_lim_gr_db;
			*v = strtod(optarg, &end);
			if (*end != 0 || !(*v >= initial_dbs[k].min && *v <= initial_dbs[k].max)) {
				fprintf(stderr, "filter-host: --%s needs a number of dB in [%g, %g], got '%s'\n", initial_dbs[k].flag,
					initial_dbs[k].min, initial_dbs[k].max, optarg);
				return HR_EXIT_SETUP;
			}
		} else if (opt == OPT_HELP) {
			return usage(argv[0], stdout);
		} else {
			fprintf(stderr, "filter-host: unknown argument '%s'\n", argv[optind - 1]);
			return usage(argv[0], stderr);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "filter-host: unknown argument '%s'\n", argv[optind]);
		return usage(argv[0], stderr);
	}
	if (a->target == NULL || a->target[0] == 0 || strlen(a->target) >= HR_WIRE_NAME_LEN || strcmp(a->target, HR_SINK_NAME) == 0) {
		fprintf(stderr, "filter-host: --target needs the node.name of a real sink (not %s)\n", HR_SINK_NAME);
		return HR_EXIT_SETUP;
	}
	return -1;
}
