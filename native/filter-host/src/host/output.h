/* Frames on stdout (a leaf: it encodes and writes, and calls nothing of the host). */
#ifndef HR_HOST_OUTPUT_H
#define HR_HOST_OUTPUT_H

#include <pipewire/pipewire.h>

#include "../wire.h"

typedef struct hr_output {
	struct pw_loop *loop;
	struct spa_source *source;
	uint8_t *buf;
	size_t len, cap;
	uint32_t seq; /* the frames' own counter */
} hr_output;

int hr_output_init(hr_output *o, struct pw_loop *loop);
/* Writes what is still queued, waiting for the reader (last words: a SHUTDOWN's ack). */
void hr_output_fini(hr_output *o);

/* Written at once, never dropped. */
void hr_output_hello(hr_output *o, const hr_frame_hello *f);
void hr_output_ready(hr_output *o, const hr_frame_ready *f);
void hr_output_ack(hr_output *o, uint32_t cmd_seq, uint16_t cmd_type);
void hr_output_error(hr_output *o, uint32_t cmd_seq, uint16_t cmd_type, uint16_t code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void hr_output_event(hr_output *o, uint32_t kind, uint32_t a, uint32_t b, uint64_t c, const char *text);
/* A tick's frames, dropped while the reader is behind: TAP frames are queued, the METER
 * frame that closes the tick is queued and written with them in one go. */
void hr_output_tap(hr_output *o, const hr_frame_tap *f);
void hr_output_meter(hr_output *o, const hr_frame_meter *f);

#endif
