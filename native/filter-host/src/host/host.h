/* What the filter-host's parts share: a few constants and the exit codes. Each part has its
 * own header and its own state; a lower part tells the ones above it what happened through
 * a hook list (spa/utils/hook.h, as PipeWire's own objects do) and never calls up:
 *
 *   main.c      bring-up (connecting -> node -> ready), the listeners, exit
 *   args.c      the command line (getopt_long)
 *   commands.c  stdin: decodes commands, calls the setters of bus, taps and graph
 *   tick.c      every 100 ms: bus and tap snapshots -> METER and TAP frames
 *   guard.c     a young tap's loud start cut on its stream's volume within milliseconds
 *   taps.c, tap-links.c   per-stream meters and the links that feed them
 *   bus.c, bus-links.c    the DSP from the sink's monitor to the real sink, and its links
 *   node.c      the one engine node: the bus's and the taps' ports, one callback a cycle
 *   links.c     links the filter-host makes and keeps itself
 *   sink.c      the lingering headroom-processed sink
 *   graph.c     the registry mirror: nodes, ports, links; stream volumes
 *   barrier.c   the data-loop barrier
 *   output.c    a leaf: encodes frames and writes them to stdout
 *
 * Threads: the main loop (everything above, every hook) and PipeWire's data loop (the
 * process callbacks, which never allocate, lock, log or make a system call). Data crosses
 * between them through latest.h triple buffers, C11 atomics and pw_loop_invoke. */
#ifndef HR_HOST_H
#define HR_HOST_H

#include <stdint.h>
#include <time.h>

#include "../wire.h"

#define HR_SINK_DESCRIPTION "Headroom"
/* WirePlumber must not remember headroom's own nodes (their volumes, their targets) for
 * the next run: 0.5 skips a node whose state.restore-props / state.restore-target are
 * "false". 0.4 reads these only from its Lua rules (it compares the node's string "false"
 * with the boolean false), so there its restore-stream still keeps them. */
#define HR_NO_RESTORE "state.restore-props", "false", "state.restore-target", "false"
#define HR_MAX_TAPS 64
#define HR_BUS_CHANNELS 2
#define HR_SPIKE_US 5000
/* A stream that has not been processed for this many ticks is idle: its momentary and
 * short-term loudness read "no measurement", not the last value heard. Three ticks, so
 * that a graph cycle longer than a tick (quantum 8192 at 44.1 kHz: 186 ms) is not idle. */
#define HR_IDLE_TICKS 3
/* A chain that takes over (a restart, a new rate) fades its input in over this long. */
#define HR_SPLICE_FADE_MS 5.0
/* The most frames one graph cycle can carry (PipeWire's clock.quantum-limit default). */
#define HR_MAX_QUANTUM 8192
/* 0 in the benchmark's reference build (Makefile: floor): the same node, ports, links and
 * buffers, the samples copied through, none of the DSP run */
#ifdef HR_BENCH_FLOOR
#define HR_RUN_DSP 0
#else
#define HR_RUN_DSP 1
#endif

/* A timespec in ns. */
static inline uint64_t hr_timespec_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

/* CLOCK_MONOTONIC in ns (main thread; the callbacks take theirs from one clock_gettime). */
static inline uint64_t hr_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return hr_timespec_ns(&ts);
}

enum hr_exit {
	HR_EXIT_OK = 0,    /* stdin closed, SIGTERM/SIGINT or SHUTDOWN */
	HR_EXIT_SETUP = 1, /* could not set up (no PipeWire, bad arguments) */
	HR_EXIT_LOST = 2,  /* PipeWire went away while running */
};

#endif
