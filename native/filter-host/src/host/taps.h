/* Taps: the app streams the supervisor wants to hear on their own (Layer A), metered. Each
 * tap is a slot of two input ports (FL, FR) on the one engine node (node.h), linked to the
 * app by tap-links.c: the node wakes once per graph cycle however many apps it hears, and
 * meters them before the bus runs (hr_taps_process). Listens to the graph; tells its own
 * listeners when a tap is ready or gone. */
#ifndef HR_HOST_TAPS_H
#define HR_HOST_TAPS_H

#include <stdatomic.h>

#include <pipewire/pipewire.h>
#include <spa/utils/hook.h>

#include "../dsp/meter.h"
#include "../dsp/onset.h"
#include "bus.h"
#include "graph.h"
#include "host.h"
#include "latest.h"
#include "links.h"
#include "node.h"

typedef struct hr_tap_snapshot {
	float m, s, peak; /* LUFS, LUFS, linear max since the window began */
	float fast;       /* LUFS: the newest sound in a row, over at most HR_ONSET_WINDOW_SUBS */
	float recent;     /* LUFS: the same over at most HR_BRIDGE_SUBS (the newest 20 ms) */
	uint32_t heard;   /* 5 ms sub-blocks with sound since the tap began */
	uint32_t window;
	uint64_t calls;
} hr_tap_snapshot;

/* The onset reading: over at most 100 ms (20 sub-blocks of 5 ms), once 20 ms have sound;
 * the bridge's over the newest 20 ms, once 10 ms have. A tap is young (guarded) for its
 * first 2 s of sound. */
#define HR_ONSET_WINDOW_SUBS 20
#define HR_ONSET_MIN_SUBS 4
#define HR_BRIDGE_SUBS 4
#define HR_BRIDGE_MIN_SUBS 2
#define HR_BRIDGE_BLAST_LU 6.0f
#define HR_GUARD_YOUNG_SUBS 400
/* A start's first cut (the bridge's and the guard's) leaves it this far over the aim, as a
 * sound that decays is loudest in the reading it is cut on (hr_onset_guard_next). The
 * supervisor's guard is as far over the aim (GUARD_OVER_LU), so a first cut lands on it. */
#define HR_GUARD_FIRST_OVER_LU 2.0f

/* What the supervisor asked for the tap's stream (SET_TAP_GAIN), and what the onset guard
 * (guard.c) did with it. Main thread only. */
#define HR_TAP_MAX_CHANNELS 64

/* The app's stream node as the tap follows it (tap-gain.c): its user's volumes, and the
 * softVolumes that carry Layer A's gain. Main thread only. */
typedef struct hr_tap_stream {
	struct pw_proxy *node;
	struct spa_hook node_listener, proxy_listener;
	int known; /* its Props have come */
	int mute, soft_mute;
	uint32_t n, n_soft;
	float channel[HR_TAP_MAX_CHANNELS], soft[HR_TAP_MAX_CHANNELS];
} hr_tap_stream;

/* The gains last put on the stream, newest last, with when (a volume takes a few cycles to
 * reach the tap: the guard reckons from the lowest that may still be heard). */
#define HR_GAIN_TRAIL 16

typedef struct hr_tap_gain_state {
	int set;             /* a SET_TAP_GAIN came: the fields below hold */
	float gain_db;       /* in force now */
	float guard_lufs, aim_lufs;
	float set_db;        /* the supervisor's last gain: a release rises to it at most */
	float held_db;       /* the guard's last cut (or set_db): where a release goes back to */
	float cut_from_lufs; /* the newest 20 ms when the first cut was made */
	uint32_t cuts;       /* the guard's cuts of this tap */
	uint32_t steps;      /* the guard's changes of the gain: cuts, a release's rises and its end */
	int releasing;       /* the first cut's start decayed: the gain follows it up */
	int released;        /* a start of this tap's was released: its later starts are judged so too */
	int release_top_set; /* a release has ended: release_top_db holds */
	float release_top_db; /* the highest gain a release of this tap's ended at */
	int quiet;           /* between sounds: the next is a start of its own */
	int at_level;        /* a later start under the guard, checked as if just cut */
	uint64_t level_hold_ns;  /* ... not before then (the gain in force heard) */
	uint32_t level_hold_heard; /* ... nor before this much sound */
	uint64_t armed_ns;   /* when the guard was armed (CLOCK_MONOTONIC) */
	uint64_t cut_ns;     /* when the guard cut last */
	uint64_t check_until_ns; /* the first cut is checked until then (0: checked) */
	uint64_t latency_ns; /* how long the first cut took to be heard, with a margin (0: not yet) */
	uint64_t hold_ns;    /* no new change before this: the last one is still reaching the meter */
	uint32_t hold_heard; /* nor before this much sound has been heard */
	float trail_db[HR_GAIN_TRAIL];
	uint64_t trail_ns[HR_GAIN_TRAIL];
	uint32_t trail_n;
} hr_tap_gain_state;

struct hr_taps;

/* The links from the app's output ports into the tap (links.h: they go when the tap, the
 * port or the filter-host goes). */
#define HR_TAP_LINKS 4

/* A tap slot: its two input ports on the engine node. Ports are never removed while the
 * node runs (node.h): a slot whose tap went is
 * reused by a later tap once no link feeds its ports any more. */
typedef struct hr_tap {
	struct hr_taps *taps;
	int used;
	uint32_t id;
	uint64_t stream_serial;
	void *port[HR_BUS_CHANNELS]; /* pw_filter port data; set before the slot is published */
	uint32_t node_id;
	int announced;
	/* main only, the tick's: the reading last written, the ticks since, the RT side's
	 * call count at the last tick and the ticks since it last metered */
	hr_frame_tap sent;
	uint32_t ticks_unsent;
	uint64_t last_calls;
	uint32_t idle_ticks;
	_Atomic int meter_ok; /* the RT side meters only while set */
	/* main -> RT: the guard's levels while the tap is guarded (floor: not guarded) */
	_Atomic float rt_guard_lufs, rt_aim_lufs;
	hr_meter meter;
	hr_onset onset;       /* RT only */
	uint32_t seen_window; /* RT only */
	uint64_t calls;       /* RT only */
	HR_LATEST(hr_tap_snapshot) latest;
	hr_link links[HR_TAP_LINKS]; /* main only */
	hr_link_owner link_owner;    /* main only */
	hr_tap_gain_state gain;          /* main only */
	hr_tap_stream stream;            /* main only */
} hr_tap;

struct hr_taps_events {
#define HR_VERSION_TAPS_EVENTS 0
	uint32_t version;
	/* the node with the tap's ports (the engine) is in the registry */
	void (*tap_ready)(void *data, uint32_t tap_id, const hr_node_info *node);
	void (*tap_removed)(void *data, uint32_t tap_id);
};

typedef struct hr_taps {
	struct pw_core *core;
	struct pw_loop *data_loop;
	hr_graph *graph;
	hr_bus *bus;   /* the bridge's cut goes there; its rate is a new tap's first */
	hr_node *node; /* the ports' node */
	struct spa_hook graph_listener;
	struct spa_hook_list listeners;
	uint32_t node_id;         /* its node id once known, else SPA_ID_INVALID */
	uint32_t rate;            /* main: the rate the meters run at */
	_Atomic int n_slots;      /* slots [0, n_slots) have ports; the RT side walks these */
	_Atomic uint32_t window; /* the peak window's generation: the tick advances it */
	hr_link_failures link_failures; /* main only */
	hr_tap tap[HR_MAX_TAPS];
} hr_taps;

void hr_taps_init(hr_taps *ts, struct pw_core *core, struct pw_loop *data_loop, hr_graph *graph, hr_node *node,
		  hr_bus *bus);
void hr_taps_fini(hr_taps *ts);
void hr_taps_add_listener(hr_taps *ts, struct spa_hook *listener, const struct hr_taps_events *events, void *data);
int hr_taps_add(hr_taps *ts, uint32_t id, uint64_t serial);
int hr_taps_remove(hr_taps *ts, uint32_t id);
/* The tap with that id, or NULL. */
hr_tap *hr_taps_find(hr_taps *ts, uint32_t id);
/* tap-gain.c: Layer A's gain on the tap's stream (softVolumes), following the stream's Props. */
/* Stops following the stream; with give_back, its softVolumes are its user's again first. */
void hr_tap_stream_release(hr_tap *t, int give_back);
/* Writes the stream's softVolumes for the tap's gain now (once its Props are known), binding
 * the stream first when it is not yet: -ENOENT when it is not in the graph. */
int hr_tap_apply_gain(hr_taps *ts, hr_tap *t);
/* A tap's newest RT snapshot (main thread, one reader). */
const hr_tap_snapshot *hr_tap_read(hr_tap *t);
/* The tick has reported this window's peaks: the RT side starts new ones. */
void hr_taps_new_window(hr_taps *ts);
/* Main thread (the tick): the meters follow the rate the engine node runs at. */
void hr_taps_check_rate(hr_taps *ts);
/* RT, the engine node's cycle before the bus's: meters every slot, hands the onset bridge's
 * cut to the bus. */
void hr_taps_process(hr_taps *ts);

/* tap-links.c: the links from app streams into their taps */
void hr_tap_links_sync(hr_taps *ts);
void hr_tap_links_clear(hr_tap *t);
/* For the core's error listener: the proxy is one of the taps' links, or one whose failure
 * its own handler has just reported (which this forgets). */
int hr_tap_links_own(hr_taps *ts, uint32_t proxy_id);

#endif
