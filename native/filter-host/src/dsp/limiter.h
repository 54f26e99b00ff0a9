/* Lookahead true-peak limiter, the last stage.
 *
 * For each sample the detector gives the interpolated peak p around it; the gain that
 * sample needs is r = min(1, ceiling / p). A sliding minimum of r over the lookahead L,
 * a release envelope that may only rise toward it (so it never exceeds it), and a box
 * filter of length L give the applied gain g. Because g[n] is the mean of L values,
 * each <= r[n-L+1], g[n] <= r[n-L+1]: the sample leaving the delay line at n is scaled
 * by no more than it needs, and the gain moves smoothly (no clicks, no distortion from
 * instant gain steps). Latency = L - 1 + detector delay. */
#ifndef HR_DSP_LIMITER_H
#define HR_DSP_LIMITER_H

#include "common.h"
#include "truepeak.h"

#define HR_LIM_MAX_LOOKAHEAD 4096 /* >= 20 ms at 192 kHz */
#define HR_LIM_RING 8192          /* power of two, >= lookahead + detector delay + chunk */

typedef struct hr_limiter {
	int rate, channels, lookahead, latency;
	float threshold;  /* linear, ceiling minus the detector's safety margin */
	double rel;       /* release coefficient per sample */
	hr_truepeak tp;
	float prev_peak;
	/* sliding minimum: monotone deque of (index, value) */
	uint64_t dq_idx[HR_LIM_RING];
	float dq_val[HR_LIM_RING];
	unsigned dq_head, dq_tail;
	uint64_t t;
	double env;
	float box[HR_LIM_MAX_LOOKAHEAD];
	int box_pos, ones_run;
	double box_sum;
	float delay[HR_MAX_CHANNELS][HR_LIM_RING];
	unsigned dpos;
	float gain;          /* last applied gain */
	float min_gain;      /* since reset */
} hr_limiter;

int hr_limiter_init(hr_limiter *l, int rate, int channels);
void hr_limiter_reset(hr_limiter *l);
/* Starts holding gr_db of reduction, released as usual (a restarted engine continues
 * where its predecessor was); never lifts the gain above what a peak needs. */
void hr_limiter_seed(hr_limiter *l, double gr_db);
/* Changing the lookahead changes the latency and resets the delay line. */
void hr_limiter_configure(hr_limiter *l, double ceiling_dbtp, double lookahead_ms, double release_ms);
/* In: n <= HR_CHUNK frames; out may alias in. */
void hr_limiter_process(hr_limiter *l, const float *const *in, float *const *out, int n);

#endif
