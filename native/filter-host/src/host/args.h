/* The filter-host's command line:
 *   headroom-filter-host --target SINK_NAME [--initial-gain-db DB]
 *                        [--initial-compressor-db DB] [--initial-limiter-db DB] */
#ifndef HR_HOST_ARGS_H
#define HR_HOST_ARGS_H

typedef struct hr_args {
	const char *target; /* node.name of the real sink the bus plays into */
	/* where the bus starts: AGC gain, compressor and limiter reduction */
	double initial_gain_db, initial_comp_gr_db, initial_lim_gr_db;
} hr_args;

/* -1: run with *a; else the exit code to end with (--help, or a bad argument: said on stderr). */
int hr_args_parse(int argc, char **argv, hr_args *a);

#endif
