/*
 * headroom filter-host wire protocol, version 1.
 * Mirrored by src/wire/filter-host-protocol.ts: change both files together, same version.
 *
 * The filter-host writes frames on stdout and reads commands on stdin. Every message is
 * a 16-byte header and a fixed-size payload, all little-endian:
 *
 *   off 0  u32 magic    0x4D524448 ("HDRM" as bytes on the wire)
 *   off 4  u16 version  1
 *   off 6  u16 type     frames 0x01..0x7f, commands 0x81..0xff
 *   off 8  u32 length   payload bytes; must equal the size of the type
 *   off 12 u32 seq      per-direction counter; acks and errors quote the command's seq
 *
 * Strings are fixed-size fields of NUL-padded UTF-8. f32/f64 are IEEE-754. Loudness and
 * levels in LUFS/dB use -200 (HR_LOUDNESS_FLOOR_LUFS) for "no measurement".
 *
 * Frames (filter-host -> supervisor)
 *   0x01 HELLO    16  u32 protocol, u32 pid, u32 param_count, u32 max_taps  (always first)
 *   0x02 READY    56  u32 rate, quantum, channels, latency_frames,
 *                     u32 sink_id, capture_id, playback_id, pad,
 *                     u64 sink_serial, capture_serial, playback_serial
 *                     (capture and playback: the nodes the bus takes its input in and plays
 *                     out of, both the one engine node, headroom-engine)
 *                     (rate and quantum are 0 until audio has flowed: a suspended bus has
 *                     no format yet; FORMAT_CHANGED and METER carry them when known)
 *   0x03 METER   104  f32 in_m, in_s, in_i, out_m, out_s, out_i (LUFS),
 *                     f32 tp_in, tp_out (dBTP, max since the previous METER),
 *                     f32 agc_gain_db, agc_target_lufs, comp_gr_db, lim_gr_db,
 *                     u32 rate, quantum, flags (1 bypass, 2 active, 4 target linked), underruns,
 *                     u64 calls, u64 sum_us, u32 max_us, u32 spikes, u32 last_spike_us, u32 pad,
 *                     u64 last_spike_at_call
 *   0x04 TAP      40  u32 tap_id, u32 node_id, u64 stream_serial,
 *                     f32 m, s (LUFS), peak_db (max since the previous TAP), u32 flags (2 active),
 *                     f32 gain_db (the stream's gain as last set: by SET_TAP_GAIN or the onset
 *                     guard), u32 guard_steps (how many times the onset guard changed its gain)
 *   0x05 ACK       8  u32 cmd_seq, u16 cmd_type, u16 pad
 *   0x06 ERROR   128  u32 cmd_seq, u16 cmd_type, u16 code, char message[120]
 *   0x07 EVENT   120  u32 kind, u32 a, u32 b, u32 pad, u64 c, char text[96]
 *                     kinds: 1 target linked (a = node id, text = name), 2 target lost (text),
 *                     3 format changed (a = rate, b = channels), 4 tap ready (a = tap id,
 *                     b = tap node id, c = tap node serial), 5 tap removed (a = tap id),
 *                     6 stream error (text)
 *
 * Commands (supervisor -> filter-host); each gets one ACK or one ERROR
 *   0x81 SET_PARAM   56  char key[48] (a dotted profile key), f64 value
 *   0x82 BYPASS       4  u32 on (0 or 1)
 *   0x83 SET_TARGET 256  char name[256] (node.name of the real sink)
 *   0x84 ADD_TAP     16  u32 tap_id, u32 pad, u64 stream_serial
 *   0x85 REMOVE_TAP   4  u32 tap_id
 *   0x87 SHUTDOWN     0
 *   0x88 SET_TAP_GAIN 20 u32 tap_id, u32 seen_steps (the guard_steps the sender had seen),
 *                     f32 gain_db (-60..+30), f32 guard_lufs, aim_lufs: while the tap is
 *                     young (its first 2 s of sound) and its loudness over the last 100 ms
 *                     exceeds guard_lufs, the filter-host cuts the stream's gain itself, to
 *                     2 LU over aim_lufs, then to aim_lufs if its newest 20 ms stay over it,
 *                     or back up, as far as gain_db, as it decays (hr_onset_guard_next,
 *                     hr_onset_release_gain; guard_lufs <= -200: no guard). The gain goes on
 *                     the stream as softVolumes = channelVolumes * 10^(gain_db/20), kept as
 *                     the user's volumes change, never above a change the sender had not seen;
 *                     REMOVE_TAP gives the stream its user's volumes back.
 *
 * Readers consume complete messages only. Bytes that are not a header are skipped up to
 * the next magic (resync); a header with an unknown type or a wrong length is dropped
 * (the header only) and reported, and reading resyncs on the next magic.
 */
#ifndef HR_WIRE_H
#define HR_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define HR_WIRE_MAGIC 0x4D524448u
#define HR_WIRE_VERSION 1
#define HR_WIRE_HEADER 16
#define HR_WIRE_MAX_PAYLOAD 256

/* The node.name of the engine's own nodes, which the supervisor looks for in the graph:
 * the lingering bus sink, and the one node that does the audio work (the bus's input and
 * output and every tap are its ports). */
#define HR_SINK_NAME "headroom-processed"
#define HR_ENGINE_NAME "headroom-engine"
/* The tick: TAP frames, then the METER frame that closes it, every HR_TICK_MS. A reading
 * that has not changed is left out, but written every HR_REPEAT_TICKS-th tick (1 s). */
#define HR_TICK_MS 100
#define HR_REPEAT_TICKS 10
/* The most a stream's softVolumes are set to (PipeWire takes volumes up to 10): Layer A lifts quiet apps. */
#define HR_MAX_VOLUME 10.0f
/* The range of a tap's gain (dB). */
#define HR_TAP_GAIN_MIN_DB -60.0f
#define HR_TAP_GAIN_MAX_DB 30.0f

enum hr_wire_type {
	HR_FRAME_HELLO = 0x01,
	HR_FRAME_READY = 0x02,
	HR_FRAME_METER = 0x03,
	HR_FRAME_TAP = 0x04,
	HR_FRAME_ACK = 0x05,
	HR_FRAME_ERROR = 0x06,
	HR_FRAME_EVENT = 0x07,
	HR_CMD_SET_PARAM = 0x81,
	HR_CMD_BYPASS = 0x82,
	HR_CMD_SET_TARGET = 0x83,
	HR_CMD_ADD_TAP = 0x84,
	HR_CMD_REMOVE_TAP = 0x85,
	HR_CMD_SHUTDOWN = 0x87,
	HR_CMD_SET_TAP_GAIN = 0x88,
};

enum hr_wire_event_kind {
	HR_EVENT_TARGET_LINKED = 1,
	HR_EVENT_TARGET_LOST = 2,
	HR_EVENT_FORMAT_CHANGED = 3,
	HR_EVENT_TAP_READY = 4,
	HR_EVENT_TAP_REMOVED = 5,
	HR_EVENT_STREAM_ERROR = 6,
};

enum hr_wire_meter_flags {
	HR_METER_FLAG_BYPASS = 1,
	HR_METER_FLAG_ACTIVE = 2,
	HR_METER_FLAG_TARGET_LINKED = 4,
};

/* Error codes in ERROR frames (u16). */
enum hr_wire_error {
	HR_WERR_MAGIC = 1,    /* bytes that are not a header (skipped) */
	HR_WERR_VERSION = 2,  /* another protocol version */
	HR_WERR_TYPE = 3,     /* unknown or not-a-command type */
	HR_WERR_LENGTH = 4,   /* length does not match the type */
	HR_WERR_VALUE = 5,    /* a field is malformed: unterminated string, non-finite number */
	HR_WERR_NOKEY = 6,    /* unknown parameter key */
	HR_WERR_RANGE = 7,    /* value out of range */
	HR_WERR_NOTAP = 8,    /* no tap with that id */
	HR_WERR_TAPS_FULL = 9,
	HR_WERR_TAP_EXISTS = 10,
	HR_WERR_NONODE = 11,  /* no node with that id and serial */
	HR_WERR_PIPEWIRE = 12,
};

#define HR_WIRE_KEY_LEN 48
#define HR_WIRE_NAME_LEN 256
#define HR_WIRE_MESSAGE_LEN 120
#define HR_WIRE_TEXT_LEN 96

typedef struct hr_wire_header {
	uint16_t version, type;
	uint32_t length, seq;
} hr_wire_header;

typedef struct hr_frame_hello {
	uint32_t protocol, pid, param_count, max_taps;
} hr_frame_hello;

typedef struct hr_frame_ready {
	uint32_t rate, quantum, channels, latency_frames;
	uint32_t sink_id, capture_id, playback_id;
	uint64_t sink_serial, capture_serial, playback_serial;
} hr_frame_ready;

typedef struct hr_timing {
	uint64_t calls, sum_us;
	uint32_t max_us, spikes, last_spike_us;
	uint64_t last_spike_at_call;
} hr_timing;

typedef struct hr_frame_meter {
	float in_m, in_s, in_i, out_m, out_s, out_i;
	float tp_in, tp_out;
	float agc_gain_db, agc_target_lufs, comp_gr_db, lim_gr_db;
	uint32_t rate, quantum, flags, underruns;
	hr_timing timing;
} hr_frame_meter;

typedef struct hr_frame_tap {
	uint32_t tap_id, node_id;
	uint64_t stream_serial;
	float m, s, peak_db;
	uint32_t flags;
	float gain_db;
	uint32_t guard_steps;
} hr_frame_tap;

typedef struct hr_frame_ack {
	uint32_t cmd_seq;
	uint16_t cmd_type;
} hr_frame_ack;

typedef struct hr_frame_error {
	uint32_t cmd_seq;
	uint16_t cmd_type, code;
	char message[HR_WIRE_MESSAGE_LEN];
} hr_frame_error;

typedef struct hr_frame_event {
	uint32_t kind, a, b;
	uint64_t c;
	char text[HR_WIRE_TEXT_LEN];
} hr_frame_event;

typedef struct hr_tap_gain {
	uint32_t tap_id, seen_steps;
	float gain_db, guard_lufs, aim_lufs;
} hr_tap_gain;

typedef struct hr_command {
	hr_wire_header h;
	union {
		struct { char key[HR_WIRE_KEY_LEN]; double value; } set_param;
		struct { uint32_t on; } bypass;
		struct { char name[HR_WIRE_NAME_LEN]; } set_target;
		struct { uint32_t tap_id; uint64_t stream_serial; } add_tap;
		struct { uint32_t tap_id; } remove_tap;
		hr_tap_gain set_tap_gain;
	} u;
} hr_command;

/* Payload size of a type, or -1 for an unknown type. */
int hr_wire_payload_size(unsigned type);

/* Encoders write header + payload into out (HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD bytes is
 * always enough) and return the byte count. Strings are truncated to fit, NUL-padded. */
size_t hr_wire_encode_hello(uint8_t *out, uint32_t seq, const hr_frame_hello *f);
size_t hr_wire_encode_ready(uint8_t *out, uint32_t seq, const hr_frame_ready *f);
size_t hr_wire_encode_meter(uint8_t *out, uint32_t seq, const hr_frame_meter *f);
size_t hr_wire_encode_tap(uint8_t *out, uint32_t seq, const hr_frame_tap *f);
size_t hr_wire_encode_ack(uint8_t *out, uint32_t seq, const hr_frame_ack *f);
size_t hr_wire_encode_error(uint8_t *out, uint32_t seq, const hr_frame_error *f);
size_t hr_wire_encode_event(uint8_t *out, uint32_t seq, const hr_frame_event *f);
size_t hr_wire_encode_command(uint8_t *out, const hr_command *c);

/* Result of hr_wire_decode_command. */
typedef struct hr_wire_result {
	int status;       /* 0: a command in *out; 1: need more bytes; < 0: -hr_wire_error */
	size_t consumed;  /* bytes to drop from the front of the buffer (0 when status is 1) */
	uint32_t seq;     /* header seq when a header was read (for the error frame) */
	uint16_t type;
} hr_wire_result;

/* Decodes the first command in buf[0..len). Strict: unknown types, frame types, wrong
 * lengths, unterminated strings and non-finite numbers are errors. */
hr_wire_result hr_wire_decode_command(const uint8_t *buf, size_t len, hr_command *out);

#endif
