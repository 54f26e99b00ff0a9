/* The 100 ms tick: pulls the bus's and the taps' RT snapshots, writes the TAP frames that
 * changed and the METER frame that closes the tick, and starts new peak windows. */
#ifndef HR_HOST_TICK_H
#define HR_HOST_TICK_H

#include <pipewire/pipewire.h>

#include "bus.h"
#include "output.h"
#include "taps.h"

typedef struct hr_tick {
	struct pw_loop *loop;
	struct spa_source *timer;
	hr_output *out;
	hr_bus *bus;
	hr_taps *taps;
	hr_frame_meter meter_sent; /* the meter frame last written, and the ticks since */
	uint32_t meter_ticks_unsent;
	uint64_t bus_last_calls; /* the bus's calls at the previous tick */
	uint32_t bus_idle_ticks; /* ticks since the bus last ran */
} hr_tick;

int hr_tick_init(hr_tick *tk, struct pw_loop *loop, hr_output *out, hr_bus *bus, hr_taps *taps);
void hr_tick_fini(hr_tick *tk);

#endif
