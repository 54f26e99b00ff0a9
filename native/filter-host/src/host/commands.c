/* Commands on stdin, decoded strictly (wire.c) and applied on the main loop. Every command
 * gets an ACK or an ERROR; a rejected command changes nothing. EOF ends the process. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

#define commands_emit(c, m, ...) spa_hook_list_call(&(c)->listeners, struct hr_commands_events, m, 0, ##__VA_ARGS__)

static const char *wire_error_text(int code)
{
	switch (code) {
	case HR_WERR_MAGIC: return "bytes that are not a frame header were skipped";
	case HR_WERR_VERSION: return "unsupported protocol version";
	case HR_WERR_TYPE: return "unknown command type";
	case HR_WERR_LENGTH: return "payload length does not match the command type";
	case HR_WERR_VALUE: return "malformed field (unterminated string, bad flag or non-finite number)";
	case HR_WERR_RANGE: return "value out of range";
	default: return "invalid command";
	}
}

static void apply(hr_commands *cs, const hr_command *c)
{
	int r;
	switch (c->h.type) {
	case HR_CMD_SET_PARAM: {
		int id = hr_param_find(c->u.set_param.key);
		if (id < 0) {
			hr_output_error(cs->out, c->h.seq, c->h.type, HR_WERR_NOKEY, "unknown parameter '%s'", c->u.set_param.key);
			return;
		}
		if (hr_param_check(id, c->u.set_param.value) < 0) {
			hr_output_error(cs->out, c->h.seq, c->h.type, HR_WERR_RANGE, "%s must be within [%g, %g], got %g",
				      hr_params[id].key, hr_params[id].min, hr_params[id].max, c->u.set_param.value);
			return;
		}
		hr_bus_set_param(cs->bus, id, c->u.set_param.value);
		break;
	}
	case HR_CMD_BYPASS:
		hr_bus_set_bypass(cs->bus, (int)c->u.bypass.on);
		break;
	case HR_CMD_SET_TARGET:
		if (strcmp(c->u.set_target.name, HR_SINK_NAME) == 0 || strcmp(c->u.set_target.name, HR_ENGINE_NAME) == 0) {
			hr_output_error(cs->out, c->h.seq, c->h.type, HR_WERR_VALUE, "the bus cannot play into its own sink or node");
			return;
		}
		hr_bus_set_target(cs->bus, c->u.set_target.name);
		break;
	case HR_CMD_ADD_TAP:
		if ((r = hr_taps_add(cs->taps, c->u.add_tap.tap_id, c->u.add_tap.stream_serial)) < 0) {
			uint16_t code = r == -EEXIST ? HR_WERR_TAP_EXISTS : r == -ENOSPC ? HR_WERR_TAPS_FULL : HR_WERR_PIPEWIRE;
			hr_output_error(cs->out, c->h.seq, c->h.type, code, "cannot add tap %u: %s", c->u.add_tap.tap_id,
				      r == -EEXIST ? "the id is in use" : r == -ENOSPC ? "all tap slots are in use" : strerror(-r));
			return;
		}
		break;
	case HR_CMD_REMOVE_TAP:
		if (hr_taps_remove(cs->taps, c->u.remove_tap.tap_id) < 0) {
			hr_output_error(cs->out, c->h.seq, c->h.type, HR_WERR_NOTAP, "no tap with id %u", c->u.remove_tap.tap_id);
			return;
		}
		break;
	case HR_CMD_SET_TAP_GAIN:
		if ((r = hr_guard_set_gain(cs->guard, &c->u.set_tap_gain)) < 0) {
			/* an unknown tap changes nothing; a stream not (or no longer) in the graph keeps
			 * the gain for the guard and reports why its volume was not set */
			uint16_t code = r == -ENOENT && hr_taps_find(cs->taps, c->u.set_tap_gain.tap_id) == NULL ? HR_WERR_NOTAP
				       : r == -ENOENT ? HR_WERR_NONODE : HR_WERR_PIPEWIRE;
			hr_output_error(cs->out, c->h.seq, c->h.type, code, "cannot set the gain of tap %u: %s",
				      c->u.set_tap_gain.tap_id, code == HR_WERR_NOTAP ? "no such tap" : code == HR_WERR_NONODE ? "its stream is not in the graph" : strerror(-r));
			return;
		}
		break;
	case HR_CMD_SHUTDOWN:
		hr_output_ack(cs->out, c->h.seq, c->h.type);
		commands_emit(cs, ended);
		return;
	}
	hr_output_ack(cs->out, c->h.seq, c->h.type);
}

static void drain(hr_commands *cs)
{
	size_t off = 0;
	while (off < cs->in_len) {
		hr_command c;
		hr_wire_result r = hr_wire_decode_command(cs->in_buf + off, cs->in_len - off, &c);
		if (r.status == 1)
			break;
		off += r.consumed;
		if (r.status == 0)
			apply(cs, &c);
		else
			hr_output_error(cs->out, r.seq, r.type, (uint16_t)-r.status, "%s", wire_error_text(-r.status));
	}
	memmove(cs->in_buf, cs->in_buf + off, cs->in_len - off);
	cs->in_len -= off;
}

static void on_stdin(void *data, int fd, uint32_t mask)
{
	hr_commands *cs = data;
	for (;;) {
		ssize_t n = read(0, cs->in_buf + cs->in_len, sizeof(cs->in_buf) - cs->in_len);
		if (n > 0) {
			cs->in_len += (size_t)n;
			drain(cs);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		/* EOF or a read error: the supervisor is gone */
		commands_emit(cs, ended);
		return;
	}
}

int hr_commands_init(hr_commands *cs, struct pw_loop *loop, hr_output *out, hr_graph *graph, hr_bus *bus, hr_taps *taps,
		     hr_guard *guard)
{
	cs->loop = loop;
	cs->out = out;
	cs->graph = graph;
	cs->bus = bus;
	cs->taps = taps;
	cs->guard = guard;
	spa_hook_list_init(&cs->listeners);
	int fl = fcntl(0, F_GETFL);
	if (fl < 0 || fcntl(0, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	cs->source = pw_loop_add_io(loop, 0, SPA_IO_IN | SPA_IO_HUP | SPA_IO_ERR, false, on_stdin, cs);
	return cs->source ? 0 : -errno;
}

void hr_commands_fini(hr_commands *cs)
{
	if (cs->source)
		pw_loop_destroy_source(cs->loop, cs->source);
	cs->source = NULL;
}

void hr_commands_add_listener(hr_commands *cs, struct spa_hook *listener, const struct hr_commands_events *events,
			      void *data)
{
	spa_hook_list_append(&cs->listeners, listener, events, data);
}
