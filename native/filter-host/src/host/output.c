/* Frames on stdout, from the main loop only. stdout is non-blocking: a slow reader makes
 * the queue grow up to a cap, past which meter and tap frames are dropped (the next tick
 * carries fresher values anyway) while acks, errors and events are kept. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host.h"

#define OUT_CAP (256 * 1024)
#define OUT_DROPPABLE_LIMIT (16 * 1024)

static void flush(hr_host *h)
{
	size_t done = 0;
	while (done < h->out_len) {
		ssize_t n = write(1, h->out_buf + done, h->out_len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			/* the reader is gone (EPIPE); stdin EOF will end the process */
			done = h->out_len;
		}
		break;
	}
	memmove(h->out_buf, h->out_buf + done, h->out_len - done);
	h->out_len -= done;
	pw_loop_update_io(h->loop, h->stdout_source, h->out_len > 0 ? SPA_IO_OUT : 0);
}

static void on_stdout(void *data, int fd, uint32_t mask) { flush(data); }

int hr_output_init(hr_host *h)
{
	h->out_cap = OUT_CAP;
	h->out_buf = malloc(h->out_cap);
	if (h->out_buf == NULL)
		return -ENOMEM;
	int fl = fcntl(1, F_GETFL);
	if (fl < 0 || fcntl(1, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	h->stdout_source = pw_loop_add_io(h->loop, 1, 0, false, on_stdout, h);
	return h->stdout_source ? 0 : -errno;
}

void hr_output_fini(hr_host *h)
{
	if (h->out_len > 0) {
		/* last words (acks of SHUTDOWN, a final error): wait for the reader briefly */
		int fl = fcntl(1, F_GETFL);
		if (fl >= 0)
			fcntl(1, F_SETFL, fl & ~O_NONBLOCK);
		(void)!write(1, h->out_buf, h->out_len);
	}
	if (h->stdout_source)
		pw_loop_destroy_source(h->loop, h->stdout_source);
	free(h->out_buf);
	h->out_buf = NULL;
}

void hr_output_queue(hr_host *h, const uint8_t *frame, size_t n, int droppable)
{
	size_t limit = droppable ? OUT_DROPPABLE_LIMIT : h->out_cap;
	if (h->out_buf == NULL || h->out_len + n > limit)
		return;
	memcpy(h->out_buf + h->out_len, frame, n);
	h->out_len += n;
}

void hr_output_frame(hr_host *h, const uint8_t *frame, size_t n, int droppable)
{
	hr_output_queue(h, frame, n, droppable);
	flush(h);
}

void hr_send_hello(hr_host *h)
{
	uint8_t buf[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
	hr_frame_hello f = { HR_WIRE_VERSION, (uint32_t)getpid(), HR_P__COUNT, HR_MAX_TAPS };
	hr_output_frame(h, buf, hr_wire_encode_hello(buf, h->out_seq++, &f), 0);
}

void hr_send_ack(hr_host *h, const hr_command *c)
{
	uint8_t buf[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
	hr_frame_ack f = { c->h.seq, c->h.type };
	hr_output_frame(h, buf, hr_wire_encode_ack(buf, h->out_seq++, &f), 0);
}

void hr_send_error(hr_host *h, uint32_t seq, uint16_t type, uint16_t code, const char *fmt, ...)
{
	uint8_t buf[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
	hr_frame_error f = { seq, type, code, { 0 } };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof(f.message), fmt, ap);
	va_end(ap);
	hr_output_frame(h, buf, hr_wire_encode_error(buf, h->out_seq++, &f), 0);
}

void hr_send_event(hr_host *h, uint32_t kind, uint32_t a, uint32_t b, uint64_t c, const char *text)
{
	uint8_t buf[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
	hr_frame_event f = { kind, a, b, c, { 0 } };
	snprintf(f.text, sizeof(f.text), "%s", text ? text : "");
	hr_output_frame(h, buf, hr_wire_encode_event(buf, h->out_seq++, &f), 0);
}

int hr_hold_back(uint32_t *ticks_unsent, int same)
{
	if (same && *ticks_unsent > 0 && *ticks_unsent < HR_REPEAT_TICKS) {
		(*ticks_unsent)++;
		return 1;
	}
	*ticks_unsent = 1;
	return 0;
}

int hr_still_active(uint32_t *idle_ticks, int fresh)
{
	if (fresh)
		*idle_ticks = 0;
	else if (*idle_ticks < HR_IDLE_TICKS)
		(*idle_ticks)++;
	return *idle_ticks < HR_IDLE_TICKS;
}

/* Whether two meter readings say the same, the running call counters aside. */
static int same_reading(const hr_frame_meter *a, const hr_frame_meter *b)
{
	return a->in_m == b->in_m && a->in_s == b->in_s && a->in_i == b->in_i && a->out_m == b->out_m &&
	       a->out_s == b->out_s && a->out_i == b->out_i && a->tp_in == b->tp_in && a->tp_out == b->tp_out &&
	       a->agc_gain_db == b->agc_gain_db && a->agc_target_lufs == b->agc_target_lufs &&
	       a->comp_gr_db == b->comp_gr_db && a->lim_gr_db == b->lim_gr_db && a->rate == b->rate &&
	       a->quantum == b->quantum && a->flags == b->flags && a->underruns == b->underruns &&
	       a->timing.max_us == b->timing.max_us && a->timing.spikes == b->timing.spikes;
}

/* Every 100 ms: a frame per tap whose reading changed, then the bus meter that closes the
 * tick (a reader acting on the meter frame has this tick's tap readings), composed from the
 * RT snapshots and written in one go: one wakeup of the reader per tick, not one per frame.
 * A tick that has nothing new (silence, nothing playing) writes nothing, except once a
 * second: an idle headroom wakes its supervisor once a second, not ten times. */
static void on_tick(void *data, uint64_t expirations)
{
	hr_host *h = data;
	uint8_t buf[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
	hr_frame_meter m;
	int taps = hr_taps_emit(h);
	hr_bus_fill_meter(h, &m);
	if (!hr_hold_back(&h->meter_ticks_unsent, taps == 0 && same_reading(&m, &h->meter_sent))) {
		h->meter_sent = m;
		hr_output_frame(h, buf, hr_wire_encode_meter(buf, h->out_seq++, &m), 1);
	}
	/* the RT side restarts its peak windows when it sees a new generation */
	atomic_fetch_add_explicit(&h->tick_gen, 1, memory_order_release);
}

int hr_tick_init(hr_host *h)
{
	struct timespec interval = { 0, HR_TICK_MS * 1000000L };
	h->tick_timer = pw_loop_add_timer(h->loop, on_tick, h);
	if (h->tick_timer == NULL)
		return -errno;
	return pw_loop_update_timer(h->loop, h->tick_timer, &interval, &interval, false);
}
