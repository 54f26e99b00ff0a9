/* The filter-host's state: one struct owns everything; callbacks get it as userdata.
 * Threads: the main loop (commands, frames, graph) and PipeWire's data loop (the
 * process callbacks). Data crosses between them through latest.h triple buffers, C11
 * atomics and pw_loop_invoke (a spa_ringbuffer inside the loop). */
#ifndef HR_HOST_H
#define HR_HOST_H

#include <stdatomic.h>
#include <stdint.h>

#include <pipewire/pipewire.h>
#include <spa/pod/builder.h>

#include "../dsp/chain.h"
#include "../wire.h"
#include "latest.h"

#define HR_SINK_NAME "headroom-processed"
#define HR_SINK_DESCRIPTION "Headroom"
/* WirePlumber must not remember headroom's own nodes (their volumes, their targets) for
 * the next run: 0.5 skips a node whose state.restore-props / state.restore-target are
 * "false". 0.4 reads these only from its Lua rules (it compares the node's string "false"
 * with the boolean false), so there its restore-stream still keeps them. */
#define HR_NO_RESTORE "state.restore-props", "false", "state.restore-target", "false"
#define HR_MAX_TAPS 64
#define HR_REPEAT_TICKS 10 /* an unchanged tap or meter reading is written every 10th tick (1 s) */
#define HR_BUS_CHANNELS 2
#define HR_SPIKE_US 5000
#define HR_TICK_MS 100
/* A stream that has not been processed for this many ticks is idle: its momentary and
 * short-term loudness read "no measurement", not the last value heard. Three ticks, so
 * that a graph cycle longer than a tick (quantum 8192 at 44.1 kHz: 186 ms) is not idle. */
#define HR_IDLE_TICKS 3
/* A chain that takes over (a restart, a new rate) fades its input in over this long. */
#define HR_SPLICE_FADE_MS 5.0
/* The most frames one graph cycle can carry (PipeWire's clock.quantum-limit default). */
#define HR_MAX_QUANTUM 8192

enum hr_exit {
	HR_EXIT_OK = 0,    /* stdin closed, SIGTERM/SIGINT or SHUTDOWN */
	HR_EXIT_SETUP = 1, /* could not set up (no PipeWire, bad arguments) */
	HR_EXIT_LOST = 2,  /* PipeWire went away while running */
};

/* What the RT thread publishes once per callback. */
typedef struct hr_bus_snapshot {
	float in_m, in_s, in_i, out_m, out_s, out_i;
	float tp_in, tp_out; /* linear, max since the reader's last tick */
	float agc_gain_db, agc_target_lufs, comp_gr_db, lim_gr_db;
	uint32_t quantum, bypass, underruns, tick_gen;
	hr_timing timing;
} hr_bus_snapshot;

typedef struct hr_tap_snapshot {
	float m, s, peak; /* LUFS, LUFS, linear max since the reader's last tick */
	uint32_t tick_gen;
	uint64_t calls;
} hr_tap_snapshot;

struct hr_host;

/* A link from the app's output port into the tap, created by the filter-host itself (owned
 * by its connection: it goes when the tap, the port or the filter-host goes). */
typedef struct hr_tap_link {
	struct hr_tap *tap;
	uint32_t out_port, in_port;
	struct pw_proxy *proxy;
	struct spa_hook listener;
} hr_tap_link;

#define HR_TAP_LINKS 4

typedef struct hr_tap {
	struct hr_host *host;
	int used;
	uint32_t id;
	uint64_t stream_serial;
	struct pw_stream *stream;
	struct spa_hook listener;
	uint32_t node_id;
	int announced;
	hr_frame_tap sent;     /* main only: the reading last written, and the ticks since */
	uint32_t ticks_unsent; /* main only */
	_Atomic int meter_ok; /* the RT side meters only while set */
	hr_meter meter;
	uint32_t seen_gen; /* RT only */
	uint64_t calls;    /* RT only */
	uint64_t last_calls; /* main only */
	uint32_t idle_ticks; /* main only: ticks since the RT side last metered */
	HR_LATEST(hr_tap_snapshot) latest;
	hr_tap_link links[HR_TAP_LINKS]; /* main only */
} hr_tap;

typedef struct hr_node_info {
	uint32_t id;
	uint64_t serial;
	char name[128];
} hr_node_info;

typedef struct hr_port_info {
	uint32_t id, node;
	int output, monitor;
	char channel[16];
} hr_port_info;

typedef struct hr_link_info {
	uint32_t id, out_node, in_node;
} hr_link_info;

typedef struct hr_host {
	struct pw_main_loop *main_loop;
	struct pw_loop *loop;
	struct pw_context *context;
	struct pw_loop *data_loop;
	struct pw_core *core;
	struct spa_hook core_listener;
	struct pw_registry *registry;
	struct spa_hook registry_listener;
	int exit_code;
	int initial_sync;
	int sink_requested;
	struct pw_proxy *sink_proxy;
	struct spa_hook sink_proxy_listener;

	/* graph, as seen through the registry (main thread) */
	hr_node_info *nodes;
	size_t n_nodes, cap_nodes;
	hr_link_info *links;
	size_t n_links, cap_links;
	hr_port_info *ports;
	size_t n_ports, cap_ports;
	uint32_t linked_target; /* node id the bus plays into, or SPA_ID_INVALID */

	/* the bus */
	char target[HR_WIRE_NAME_LEN];
	struct pw_stream *capture, *playback;
	_Atomic(struct pw_stream *) rt_playback; /* what the RT callbacks use */
	struct spa_hook capture_listener, playback_listener;
	uint32_t rate, capture_rate, playback_rate;
	int ready_sent;
	hr_chain chains[2];       /* active and spare: rate changes swap them */
	_Atomic(hr_chain *) active;
	double params[HR_P__COUNT]; /* main's copy, re-applied to a fresh chain */
	double initial_gain_db, initial_comp_gr_db, initial_lim_gr_db;
	int bypass;

	/* RT-only bus state */
	struct {
		/* this cycle's capture, copied out so its buffer goes straight back (docs/architecture.md §3a) */
		float captured[HR_BUS_CHANNELS][HR_MAX_QUANTUM];
		uint32_t captured_frames; /* 0: nothing captured since the playback last ran */
		uint32_t last_frames;     /* the last cycle's size */
		uint32_t seen_gen;
		uint64_t last_block;
		float in_i, out_i;
		uint32_t underruns;
		hr_timing timing;
	} rt;
	HR_LATEST(hr_bus_snapshot) bus_latest;
	_Atomic uint32_t tick_gen;
	uint64_t last_calls; /* main only: calls at the previous tick */
	uint32_t idle_ticks; /* main only: ticks since the bus last ran */
	hr_frame_meter meter_sent; /* main only: the meter frame last written, and the ticks since */
	uint32_t meter_ticks_unsent;

	hr_tap taps[HR_MAX_TAPS];

	/* stdin */
	struct spa_source *stdin_source;
	uint8_t in_buf[4 * (HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD)];
	size_t in_len;

	/* stdout */
	struct spa_source *stdout_source;
	uint8_t *out_buf;
	size_t out_len, out_cap;
	uint32_t out_seq;

	struct spa_source *tick_timer;
} hr_host;

/* output.c: frames on stdout, never blocking */
int hr_output_init(hr_host *h);
void hr_output_fini(hr_host *h);
/* appends a frame; hr_output_frame appends and writes what is queued */
void hr_output_queue(hr_host *h, const uint8_t *frame, size_t n, int droppable);
void hr_output_frame(hr_host *h, const uint8_t *frame, size_t n, int droppable);
/* Whether a reading the same as the last one written is left out this tick (it is written
 * every HR_REPEAT_TICKS-th tick regardless); counts the ticks since the last write. */
int hr_hold_back(uint32_t *ticks_unsent, int same);
/* Counts a tick with (fresh) or without new processing; true while not idle (HR_IDLE_TICKS). */
int hr_still_active(uint32_t *idle_ticks, int fresh);
void hr_send_hello(hr_host *h);
void hr_send_ack(hr_host *h, const hr_command *c);
void hr_send_error(hr_host *h, uint32_t seq, uint16_t type, uint16_t code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void hr_send_event(hr_host *h, uint32_t kind, uint32_t a, uint32_t b, uint64_t c, const char *text);
int hr_tick_init(hr_host *h);

/* commands.c: stdin */
int hr_commands_init(hr_host *h);
void hr_commands_fini(hr_host *h);

/* graph.c: registry, the lingering sink, stream volumes */
int hr_graph_init(hr_host *h);
void hr_graph_fini(hr_host *h);
const hr_node_info *hr_graph_node(const hr_host *h, uint32_t id);
int hr_graph_set_volume(hr_host *h, uint32_t node_id, uint64_t serial, float volume);
void hr_graph_maybe_ready(hr_host *h);

/* bus.c: capture + playback streams and the DSP */
int hr_bus_init(hr_host *h);
void hr_bus_fini(hr_host *h);
int hr_bus_set_target(hr_host *h, const char *name);
int hr_bus_set_param(hr_host *h, int id, double value);
void hr_bus_set_bypass(hr_host *h, int on);
void hr_bus_fill_meter(hr_host *h, hr_frame_meter *f);

/* taps.c: per-stream meters */
int hr_tap_add(hr_host *h, uint32_t id, uint64_t serial);
int hr_tap_remove(hr_host *h, uint32_t id);
void hr_taps_fini(hr_host *h);
int hr_taps_emit(hr_host *h); /* the number of tap frames written */
/* TAP_READY for taps whose node has appeared in the registry. */
void hr_taps_announce(hr_host *h);

/* tap-links.c: the links from app streams into their taps */
void hr_tap_links_sync(hr_host *h);
void hr_tap_links_clear(hr_tap *t);
int hr_tap_links_own(const hr_host *h, uint32_t proxy_id);

/* Shared by bus and taps: F32 stereo format params, interleaved or planar. */
const struct spa_pod *hr_audio_format(struct spa_pod_builder *b, uint32_t rate, int planar);
/* Runs fn on the data loop and waits for it: afterwards no callback uses old state. */
void hr_data_barrier(hr_host *h);
void hr_quit(hr_host *h, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
