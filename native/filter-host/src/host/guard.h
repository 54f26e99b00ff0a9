/* The onset guard: a new app that starts loud is cut on its stream's gain by the
 * filter-host itself, within a few milliseconds of the tap hearing it — the supervisor's
 * 100 ms tick would let the first second of an ad through. While some tap is young (its
 * first 2 s of sound, at most 30 s after it was armed) a 5 ms timer looks at each young
 * tap's onset reading (taps.h); otherwise the timer is off. A cut start that then decays is
 * released: its gain follows it back up. The supervisor learns of the guard's changes from
 * the TAP frame's gain and step count. */
#ifndef HR_HOST_GUARD_H
#define HR_HOST_GUARD_H

#include <pipewire/pipewire.h>

#include "taps.h"

typedef struct hr_guard {
	struct pw_loop *loop;
	struct spa_source *timer;
	hr_taps *taps;
	int running;
} hr_guard;

int hr_guard_init(hr_guard *gd, struct pw_loop *loop, hr_taps *taps);
void hr_guard_fini(hr_guard *gd);
/* SET_TAP_GAIN: the tap's gain and guard levels; puts the gain on the stream (never above a
 * change of the guard's the sender had not seen) and arms the guard for a young tap. */
int hr_guard_set_gain(hr_guard *gd, const hr_tap_gain *g);

#endif
