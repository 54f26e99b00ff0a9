/* The bus: headroom-processed's monitor, through the DSP chain, into the real sink, as four
 * ports of the engine node (node.h) and the links that feed them (bus-links.c). Tells its
 * listeners what its output does; calls the graph only to read it. */
#ifndef HR_HOST_BUS_H
#define HR_HOST_BUS_H

#include <stdatomic.h>

#include <pipewire/pipewire.h>
#include <spa/utils/hook.h>

#include "../dsp/chain.h"
#include "graph.h"
#include "host.h"
#include "latest.h"
#include "links.h"
#include "node.h"

/* The monitor into bus-in, bus-out into the real sink: two channels each. */
#define HR_BUS_LINKS 4

/* What the RT thread publishes once per callback. */
typedef struct hr_bus_snapshot {
	float in_m, in_s, in_i, out_m, out_s, out_i;
	float tp_in, tp_out; /* linear, max since the window began (hr_bus_new_window) */
	float agc_gain_db, agc_target_lufs, comp_gr_db, lim_gr_db;
	uint32_t quantum, bypass, underruns, window;
	hr_timing timing;
} hr_bus_snapshot;

struct hr_bus_events {
#define HR_VERSION_BUS_EVENTS 0
	uint32_t version;
	/* a rate the chain cannot run */
	void (*error)(void *data, const char *text);
	/* the node runs at a new rate; the chain was re-made for it */
	void (*format_changed)(void *data, uint32_t rate, uint32_t channels);
	/* the output feeds another node (SPA_ID_INVALID: none) */
	void (*target_changed)(void *data, uint32_t was, uint32_t now);
};

typedef struct hr_bus {
	struct pw_core *core;
	struct pw_loop *data_loop;
	hr_graph *graph;
	struct spa_hook graph_listener;
	struct spa_hook_list listeners;

	hr_node *node;
	void *in[HR_BUS_CHANNELS], *out[HR_BUS_CHANNELS]; /* its ports */
	hr_link links[HR_BUS_LINKS];
	hr_link_owner link_owner;
	hr_link_failures link_failures;
	char target[HR_WIRE_NAME_LEN];
	_Atomic uint32_t out_linked; /* main -> RT: bit c: bus-out channel c feeds a sink */
	uint32_t rate;     /* the node's, once it has run (0: not yet) */
	uint32_t bad_rate; /* a rate the chain cannot run, reported */
	uint32_t linked_target; /* node id the bus plays into, or SPA_ID_INVALID */
	hr_chain chains[2];       /* active and spare: rate changes swap them */
	_Atomic(hr_chain *) active;
	/* until the node has run: the RT side may swap in the other chain, made for 44.1 kHz
	 * (the first cycle's rate), and parameters go to both */
	_Atomic int rt_pick;
	double params[HR_P__COUNT]; /* main's copy, re-applied to a fresh chain */
	double initial_gain_db, initial_comp_gr_db, initial_lim_gr_db;
	int bypass;

	/* RT-only */
	struct {
		uint32_t last_frames; /* the last cycle's size */
		float spare[HR_BUS_CHANNELS][HR_MAX_QUANTUM]; /* a channel the output has no buffer for */
		uint32_t seen_window;
		uint64_t last_block;
		float in_i, out_i;
		uint32_t underruns;
		hr_timing timing;
	} rt;
	HR_LATEST(hr_bus_snapshot) latest;
	_Atomic uint32_t window; /* the peak window's generation: the tick advances it */
	/* the onset bridge: a young app's loud start, heard by its tap, cut on the whole bus
	 * (dB, <= 0) in the same graph cycle or the next, until the filter-host's cut of the
	 * app's own volume reaches the graph (two cycles); taps RT -> bus RT */
	_Atomic float bridge_db;
	/* ... and before a tap can hear it: for a while after an app's stream appears, a cycle
	 * whose input jumps well over the recent input and over the AGC's target is cut at once,
	 * in that cycle, for a few tens of ms (the tap and its bridge take over) */
	_Atomic uint64_t armed_until_ns; /* main -> RT (CLOCK_MONOTONIC) */
	/* ... and, for a blast only (far over the target), while a tap is young (guard.c): a
	 * stream that played silence may start at any cycle, and on some graphs its tap's
	 * bridge reaches the bus a cycle late */
	_Atomic uint64_t blast_armed_until_ns; /* main -> RT (CLOCK_MONOTONIC) */
	struct {
		float gain;          /* the gain the input ended the last cycle at, linear */
		double recent;       /* the input's mean square, smoothed over ~300 ms */
		float jump_db;       /* the cut a jump asked for, while held */
		int64_t jump_frames; /* frames the jump's cut is still held for */
	} bridge;                    /* RT only */
} hr_bus;

/* Where the bus will play and where its chain starts (AGC gain, compressor and limiter
 * reduction); nothing is created yet. */
void hr_bus_init(hr_bus *b, struct pw_core *core, struct pw_loop *data_loop, hr_graph *graph, hr_node *node,
		 const char *target, double gain_db, double comp_gr_db, double lim_gr_db);
/* The chain and the bus's ports on the (started) node. */
int hr_bus_start(hr_bus *b);
void hr_bus_fini(hr_bus *b);
void hr_bus_add_listener(hr_bus *b, struct spa_hook *listener, const struct hr_bus_events *events, void *data);

void hr_bus_set_target(hr_bus *b, const char *name);
int hr_bus_set_param(hr_bus *b, int id, double value);
void hr_bus_set_bypass(hr_bus *b, int on);
/* Looks again at what the output feeds (target_changed when that changed). */
void hr_bus_check_target(hr_bus *b);
/* Main thread (the tick): the chain follows the rate the node runs at (format_changed). */
void hr_bus_check_rate(hr_bus *b);
/* RT, the engine node's cycle, after the taps': the chain from bus-in to bus-out. t0: when
 * the cycle's callback began (the bus reports the whole callback's time). */
void hr_bus_process(hr_bus *b, struct spa_io_position *position, const struct timespec *t0);
/* Main thread (guard.c, its only writer): the jump watch armed for blasts only until until_ns (CLOCK_MONOTONIC). */
void hr_bus_arm_blast_watch(hr_bus *b, uint64_t until_ns);
/* READY's bus half: rate, quantum, channels, latency and the engine's node id. */
void hr_bus_describe(hr_bus *b, hr_frame_ready *f);
/* The RT side's newest snapshot (main thread, one reader). */
const hr_bus_snapshot *hr_bus_read(hr_bus *b);
/* The tick has reported this window's peaks: the RT side starts new ones. */
void hr_bus_new_window(hr_bus *b);

/* bus-links.c: the links into bus-in and out of bus-out, as they should be now */
void hr_bus_links_sync(hr_bus *b);
/* Which bus-out ports feed a node: bit c for channel c. */
uint32_t hr_bus_links_outputs(hr_bus *b);
/* For the core's error listener: the proxy is one of the bus's links, or one whose failure
 * its own handler has just reported (which this forgets). */
int hr_bus_links_own(hr_bus *b, uint32_t proxy_id);

#endif
