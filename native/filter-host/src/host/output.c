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

#include "output.h"

#define OUT_CAP (256 * 1024)
#define OUT_DROPPABLE_LIMIT (16 * 1024)

typedef uint8_t hr_frame_buf[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];

static void flush(hr_output *o)
{
	size_t done = 0;
	while (done < o->len) {
		ssize_t n = write(1, o->buf + done, o->len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			/* the reader is gone (EPIPE); stdin EOF will end the process */
			done = o->len;
		}
		break;
	}
	memmove(o->buf, o->buf + done, o->len - done);
	o->len -= done;
	pw_loop_update_io(o->loop, o->source, o->len > 0 ? SPA_IO_OUT : 0);
}

static void on_stdout(void *data, int fd, uint32_t mask) { flush(data); }

int hr_output_init(hr_output *o, struct pw_loop *loop)
{
	o->loop = loop;
	o->cap = OUT_CAP;
	o->buf = malloc(o->cap);
	if (o->buf == NULL)
		return -ENOMEM;
	int fl = fcntl(1, F_GETFL);
	if (fl < 0 || fcntl(1, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	o->source = pw_loop_add_io(loop, 1, 0, false, on_stdout, o);
	return o->source ? 0 : -errno;
}

void hr_output_fini(hr_output *o)
{
	if (o->len > 0) {
		/* last words (acks of SHUTDOWN, a final error): wait for the reader briefly */
		int fl = fcntl(1, F_GETFL);
		if (fl >= 0)
			fcntl(1, F_SETFL, fl & ~O_NONBLOCK);
		(void)!write(1, o->buf, o->len);
	}
	if (o->source)
		pw_loop_destroy_source(o->loop, o->source);
	free(o->buf);
	o->buf = NULL;
}

static void queue(hr_output *o, const uint8_t *frame, size_t n, int droppable)
{
	size_t limit = droppable ? OUT_DROPPABLE_LIMIT : o->cap;
	if (o->buf == NULL || o->len + n > limit)
		return;
	memcpy(o->buf + o->len, frame, n);
	o->len += n;
}

static void write_now(hr_output *o, const uint8_t *frame, size_t n, int droppable)
{
	queue(o, frame, n, droppable);
	flush(o);
}

void hr_output_hello(hr_output *o, const hr_frame_hello *f)
{
	hr_frame_buf buf;
	write_now(o, buf, hr_wire_encode_hello(buf, o->seq++, f), 0);
}

void hr_output_ready(hr_output *o, const hr_frame_ready *f)
{
	hr_frame_buf buf;
	write_now(o, buf, hr_wire_encode_ready(buf, o->seq++, f), 0);
}

void hr_output_ack(hr_output *o, uint32_t cmd_seq, uint16_t cmd_type)
{
	hr_frame_buf buf;
	hr_frame_ack f = { cmd_seq, cmd_type };
	write_now(o, buf, hr_wire_encode_ack(buf, o->seq++, &f), 0);
}

void hr_output_error(hr_output *o, uint32_t cmd_seq, uint16_t cmd_type, uint16_t code, const char *fmt, ...)
{
	hr_frame_buf buf;
	hr_frame_error f = { cmd_seq, cmd_type, code, { 0 } };
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof(f.message), fmt, ap);
	va_end(ap);
	write_now(o, buf, hr_wire_encode_error(buf, o->seq++, &f), 0);
}

void hr_output_event(hr_output *o, uint32_t kind, uint32_t a, uint32_t b, uint64_t c, const char *text)
{
	hr_frame_buf buf;
	hr_frame_event f = { kind, a, b, c, { 0 } };
	snprintf(f.text, sizeof(f.text), "%s", text ? text : "");
	write_now(o, buf, hr_wire_encode_event(buf, o->seq++, &f), 0);
}

void hr_output_tap(hr_output *o, const hr_frame_tap *f)
{
	hr_frame_buf buf;
	queue(o, buf, hr_wire_encode_tap(buf, o->seq++, f), 1);
}

void hr_output_meter(hr_output *o, const hr_frame_meter *f)
{
	hr_frame_buf buf;
	write_now(o, buf, hr_wire_encode_meter(buf, o->seq++, f), 1);
}
