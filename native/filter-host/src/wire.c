/* Encoders and the strict command decoder for the filter-host wire protocol (wire.h).
 * Byte order is written out explicitly, so the code does not depend on struct layout. */
#include "wire.h"

#include <math.h>
#include <string.h>

static const struct { uint16_t type; uint16_t size; } sizes[] = {
	{ HR_FRAME_HELLO, 16 },	     { HR_FRAME_READY, 56 },	 { HR_FRAME_METER, 104 },
	{ HR_FRAME_TAP, 40 },	     { HR_FRAME_ACK, 8 },	 { HR_FRAME_ERROR, 128 },
	{ HR_FRAME_EVENT, 120 },     { HR_CMD_SET_PARAM, 56 },	 { HR_CMD_BYPASS, 4 },
	{ HR_CMD_SET_TARGET, 256 },  { HR_CMD_ADD_TAP, 16 },	 { HR_CMD_REMOVE_TAP, 4 },
	{ HR_CMD_SHUTDOWN, 0 },	     { HR_CMD_SET_TAP_GAIN, 20 },
};

int hr_wire_payload_size(unsigned type)
{
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (sizes[i].type == type)
			return sizes[i].size;
	return -1;
}

/* A cursor that writes little-endian fields. */
typedef struct { uint8_t *p; } wcur;

static void put_u16(wcur *c, uint16_t v) { c->p[0] = (uint8_t)v; c->p[1] = (uint8_t)(v >> 8); c->p += 2; }
static void put_u32(wcur *c, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		c->p[i] = (uint8_t)(v >> (8 * i));
	c->p += 4;
}
static void put_u64(wcur *c, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		c->p[i] = (uint8_t)(v >> (8 * i));
	c->p += 8;
}
static void put_f32(wcur *c, float v) { uint32_t u; memcpy(&u, &v, 4); put_u32(c, u); }
static void put_f64(wcur *c, double v) { uint64_t u; memcpy(&u, &v, 8); put_u64(c, u); }
static void put_str(wcur *c, const char *s, size_t field)
{
	size_t n = strnlen(s, field - 1);
	memcpy(c->p, s, n);
	memset(c->p + n, 0, field - n);
	c->p += field;
}

static wcur begin(uint8_t *out, unsigned type, uint32_t seq)
{
	wcur c = { out };
	put_u32(&c, HR_WIRE_MAGIC);
	put_u16(&c, HR_WIRE_VERSION);
	put_u16(&c, (uint16_t)type);
	put_u32(&c, (uint32_t)hr_wire_payload_size(type));
	put_u32(&c, seq);
	return c;
}

static size_t end(uint8_t *out, wcur c) { return (size_t)(c.p - out); }

size_t hr_wire_encode_hello(uint8_t *out, uint32_t seq, const hr_frame_hello *f)
{
	wcur c = begin(out, HR_FRAME_HELLO, seq);
	put_u32(&c, f->protocol);
	put_u32(&c, f->pid);
	put_u32(&c, f->param_count);
	put_u32(&c, f->max_taps);
	return end(out, c);
}

size_t hr_wire_encode_ready(uint8_t *out, uint32_t seq, const hr_frame_ready *f)
{
	wcur c = begin(out, HR_FRAME_READY, seq);
	put_u32(&c, f->rate);
	put_u32(&c, f->quantum);
	put_u32(&c, f->channels);
	put_u32(&c, f->latency_frames);
	put_u32(&c, f->sink_id);
	put_u32(&c, f->capture_id);
	put_u32(&c, f->playback_id);
	put_u32(&c, 0);
	put_u64(&c, f->sink_serial);
	put_u64(&c, f->capture_serial);
	put_u64(&c, f->playback_serial);
	return end(out, c);
}

size_t hr_wire_encode_meter(uint8_t *out, uint32_t seq, const hr_frame_meter *f)
{
	wcur c = begin(out, HR_FRAME_METER, seq);
	const float levels[] = { f->in_m, f->in_s, f->in_i, f->out_m, f->out_s, f->out_i,
				 f->tp_in, f->tp_out, f->agc_gain_db, f->agc_target_lufs,
				 f->comp_gr_db, f->lim_gr_db };
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		put_f32(&c, levels[i]);
	put_u32(&c, f->rate);
	put_u32(&c, f->quantum);
	put_u32(&c, f->flags);
	put_u32(&c, f->underruns);
	put_u64(&c, f->timing.calls);
	put_u64(&c, f->timing.sum_us);
	put_u32(&c, f->timing.max_us);
	put_u32(&c, f->timing.spikes);
	put_u32(&c, f->timing.last_spike_us);
	put_u32(&c, 0);
	put_u64(&c, f->timing.last_spike_at_call);
	return end(out, c);
}

size_t hr_wire_encode_tap(uint8_t *out, uint32_t seq, const hr_frame_tap *f)
{
	wcur c = begin(out, HR_FRAME_TAP, seq);
	put_u32(&c, f->tap_id);
	put_u32(&c, f->node_id);
	put_u64(&c, f->stream_serial);
	put_f32(&c, f->m);
	put_f32(&c, f->s);
	put_f32(&c, f->peak_db);
	put_u32(&c, f->flags);
	put_f32(&c, f->gain_db);
	put_u32(&c, f->guard_steps);
	return end(out, c);
}

size_t hr_wire_encode_ack(uint8_t *out, uint32_t seq, const hr_frame_ack *f)
{
	wcur c = begin(out, HR_FRAME_ACK, seq);
	put_u32(&c, f->cmd_seq);
	put_u16(&c, f->cmd_type);
	put_u16(&c, 0);
	return end(out, c);
}

size_t hr_wire_encode_error(uint8_t *out, uint32_t seq, const hr_frame_error *f)
{
	wcur c = begin(out, HR_FRAME_ERROR, seq);
	put_u32(&c, f->cmd_seq);
	put_u16(&c, f->cmd_type);
	put_u16(&c, f->code);
	put_str(&c, f->message, HR_WIRE_MESSAGE_LEN);
	return end(out, c);
}

size_t hr_wire_encode_event(uint8_t *out, uint32_t seq, const hr_frame_event *f)
{
	wcur c = begin(out, HR_FRAME_EVENT, seq);
	put_u32(&c, f->kind);
	put_u32(&c, f->a);
	put_u32(&c, f->b);
	put_u32(&c, 0);
	put_u64(&c, f->c);
	put_str(&c, f->text, HR_WIRE_TEXT_LEN);
	return end(out, c);
}

size_t hr_wire_encode_command(uint8_t *out, const hr_command *cmd)
{
	wcur c = begin(out, cmd->h.type, cmd->h.seq);
	switch (cmd->h.type) {
	case HR_CMD_SET_PARAM:
		put_str(&c, cmd->u.set_param.key, HR_WIRE_KEY_LEN);
		put_f64(&c, cmd->u.set_param.value);
		break;
	case HR_CMD_BYPASS:
		put_u32(&c, cmd->u.bypass.on);
		break;
	case HR_CMD_SET_TARGET:
		put_str(&c, cmd->u.set_target.name, HR_WIRE_NAME_LEN);
		break;
	case HR_CMD_ADD_TAP:
		put_u32(&c, cmd->u.add_tap.tap_id);
		put_u32(&c, 0);
		put_u64(&c, cmd->u.add_tap.stream_serial);
		break;
	case HR_CMD_REMOVE_TAP:
		put_u32(&c, cmd->u.remove_tap.tap_id);
		break;
	case HR_CMD_SET_TAP_GAIN:
		put_u32(&c, cmd->u.set_tap_gain.tap_id);
		put_u32(&c, cmd->u.set_tap_gain.seen_steps);
		put_f32(&c, cmd->u.set_tap_gain.gain_db);
		put_f32(&c, cmd->u.set_tap_gain.guard_lufs);
		put_f32(&c, cmd->u.set_tap_gain.aim_lufs);
		break;
	default:
		break;
	}
	return end(out, c);
}

/* A cursor that reads little-endian fields. */
typedef struct { const uint8_t *p; } rcur;

static uint16_t get_u16(rcur *c) { uint16_t v = (uint16_t)(c->p[0] | c->p[1] << 8); c->p += 2; return v; }
static uint32_t get_u32(rcur *c)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)c->p[i] << (8 * i);
	c->p += 4;
	return v;
}
static uint64_t get_u64(rcur *c)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += 8;
	return v;
}
static float get_f32(rcur *c) { uint32_t u = get_u32(c); float v; memcpy(&v, &u, 4); return v; }
static double get_f64(rcur *c) { uint64_t u = get_u64(c); double v; memcpy(&v, &u, 8); return v; }
/* A string field must hold a NUL; the bytes after it must be NUL too (no hidden data). */
static int get_str(rcur *c, char *dst, size_t field)
{
	const uint8_t *nul = memchr(c->p, 0, field);
	int ok = nul != NULL;
	for (const uint8_t *q = nul; ok && q < c->p + field; q++)
		ok = *q == 0;
	memcpy(dst, c->p, field);
	dst[field - 1] = 0;
	c->p += field;
	return ok;
}

static size_t find_magic(const uint8_t *buf, size_t len)
{
	for (size_t i = 1; i + 4 <= len; i++) {
		rcur c = { buf + i };
		if (get_u32(&c) == HR_WIRE_MAGIC)
			return i;
	}
	/* keep a tail that may be the start of a magic */
	return len >= 3 ? len - 3 : 0;
}

hr_wire_result hr_wire_decode_command(const uint8_t *buf, size_t len, hr_command *out)
{
	hr_wire_result r = { 1, 0, 0, 0 };
	if (len < 4)
		return r;
	rcur c = { buf };
	if (get_u32(&c) != HR_WIRE_MAGIC) {
		r.status = -HR_WERR_MAGIC;
		r.consumed = find_magic(buf, len);
		if (r.consumed == 0)
			r.consumed = 1;
		return r;
	}
	if (len < HR_WIRE_HEADER)
		return r;
	memset(out, 0, sizeof(*out));
	out->h.version = get_u16(&c);
	out->h.type = get_u16(&c);
	out->h.length = get_u32(&c);
	out->h.seq = get_u32(&c);
	r.seq = out->h.seq;
	r.type = out->h.type;

	int size = hr_wire_payload_size(out->h.type);
	if (out->h.length > HR_WIRE_MAX_PAYLOAD || size < 0 || out->h.length != (uint32_t)size) {
		/* Consume only the header: a lying length must not swallow the next command. */
		r.consumed = HR_WIRE_HEADER;
		r.status = (size < 0) ? -HR_WERR_TYPE : -HR_WERR_LENGTH;
		return r;
	}
	if (len < HR_WIRE_HEADER + out->h.length)
		return r;
	r.consumed = HR_WIRE_HEADER + out->h.length;
	if (out->h.version != HR_WIRE_VERSION) {
		r.status = -HR_WERR_VERSION;
		return r;
	}
	r.status = 0;
	switch (out->h.type) {
	case HR_CMD_SET_PARAM:
		if (!get_str(&c, out->u.set_param.key, HR_WIRE_KEY_LEN))
			r.status = -HR_WERR_VALUE;
		out->u.set_param.value = get_f64(&c);
		if (!isfinite(out->u.set_param.value))
			r.status = -HR_WERR_VALUE;
		break;
	case HR_CMD_BYPASS:
		out->u.bypass.on = get_u32(&c);
		if (out->u.bypass.on > 1)
			r.status = -HR_WERR_VALUE;
		break;
	case HR_CMD_SET_TARGET:
		if (!get_str(&c, out->u.set_target.name, HR_WIRE_NAME_LEN) || out->u.set_target.name[0] == 0)
			r.status = -HR_WERR_VALUE;
		break;
	case HR_CMD_ADD_TAP:
		out->u.add_tap.tap_id = get_u32(&c);
		get_u32(&c);
		out->u.add_tap.stream_serial = get_u64(&c);
		break;
	case HR_CMD_REMOVE_TAP:
		out->u.remove_tap.tap_id = get_u32(&c);
		break;
	case HR_CMD_SET_TAP_GAIN: {
		hr_tap_gain *g = &out->u.set_tap_gain;
		g->tap_id = get_u32(&c);
		g->seen_steps = get_u32(&c);
		g->gain_db = get_f32(&c);
		g->guard_lufs = get_f32(&c);
		g->aim_lufs = get_f32(&c);
		if (!isfinite(g->gain_db) || !isfinite(g->guard_lufs) || !isfinite(g->aim_lufs))
			r.status = -HR_WERR_VALUE;
		else if (g->gain_db < HR_TAP_GAIN_MIN_DB || g->gain_db > HR_TAP_GAIN_MAX_DB)
			r.status = -HR_WERR_RANGE;
		break;
	}
	case HR_CMD_SHUTDOWN:
		break;
	default:
		r.status = -HR_WERR_TYPE; /* a frame type sent as a command */
		break;
	}
	return r;
}
