/* Loudness meter, ITU-R BS.1770-4 / EBU Tech 3341 + 3342.
 *
 * The K-weighted, channel-weighted energy is summed into sub-blocks of ~5 ms that divide
 * 100 ms exactly (240 samples at 48 kHz, 210 at 44.1 kHz). Momentary (400 ms) and
 * short-term (3 s) are sliding sums of sub-blocks, updated every sub-block, so their
 * maxima are found within 5 ms of the true window position (Tech 3341 cases 10-14).
 * Every 100 ms a 400 ms gating block feeds the integrated histogram and a 3 s block the
 * LRA histogram. Everything is sized at init; process never allocates. */
#ifndef HR_DSP_METER_H
#define HR_DSP_METER_H

#include "common.h"
#include "gating.h"
#include "kweight.h"
#include "truepeak.h"

#define HR_METER_RING 1024 /* >= sub-blocks in 3 s */

enum hr_meter_flags {
	HR_METER_GATED = 1 << 0,     /* integrated + LRA */
	HR_METER_TRUE_PEAK = 1 << 1, /* 4x oversampled true peak */
};

typedef struct hr_meter {
	int rate, channels;
	unsigned flags;
	double weight[HR_MAX_CHANNELS];
	hr_kweight kw;
	hr_kstate ks[HR_MAX_CHANNELS];

	int sub_len, subs_per_block, m_subs, s_subs;
	int sub_pos;
	double sub_acc[HR_MAX_CHANNELS]; /* per channel, summed sample by sample (block-size invariant) */
	double ring[HR_METER_RING];
	int ring_pos;
	uint64_t subs_done;
	double m_sum, s_sum; /* running sums of the newest m_subs and s_subs sub-blocks */

	double momentary, short_term;         /* latest mean-square energies */
	double momentary_max, short_term_max; /* energies; 0 = never measured */

	float sample_peak, true_peak;           /* since reset */
	float tick_sample_peak, tick_true_peak; /* since the last hr_meter_take_tick_peak */
	hr_truepeak tp;

	hr_gating integrated_hist, range_hist;
} hr_meter;

/* weights: NULL for the BS.1770 defaults by channel count (5: L R C Ls Rs; 6: L R C LFE Ls Rs). */
int hr_meter_init(hr_meter *m, int rate, int channels, const double *weights, unsigned flags);
void hr_meter_reset(hr_meter *m);

/* Feed n frames of deinterleaved audio. Returns the number of 100 ms blocks completed. */
int hr_meter_process(hr_meter *m, const float *const *ch, int n);
/* Two meters fed side by side, exactly as two hr_meter_process calls (the chain's input and
 * output, two taps): their K-weighting runs in one pass. Returns a's blocks, b's in *blocks_b. */
int hr_meter_process2(hr_meter *a, const float *const *xa, hr_meter *b, const float *const *xb, int n, int *blocks_b);
/* Samples left until the current sub-block ends (callers split work there). */
static inline int hr_meter_until_sub_end(const hr_meter *m) { return m->sub_len - m->sub_pos; }
/* Evaluate the true-peak interpolation over the last samples (end of a file). */
void hr_meter_flush(hr_meter *m);

/* The mean-square energy of one finished sub-block: back 0 is the newest (back < HR_METER_RING). */
double hr_meter_sub_energy(const hr_meter *m, int back);
double hr_meter_momentary(const hr_meter *m);
double hr_meter_short_term(const hr_meter *m);
double hr_meter_momentary_max(const hr_meter *m);
double hr_meter_short_term_max(const hr_meter *m);
double hr_meter_integrated(const hr_meter *m);
double hr_meter_range(const hr_meter *m, int *measured);
/* max(true peak, sample peak) since reset, linear. */
double hr_meter_peak(const hr_meter *m);
double hr_meter_sample_peak(const hr_meter *m);
/* max(true, sample) peak since the previous call, then restarts the window. */
float hr_meter_take_tick_peak(hr_meter *m);
/* The same peak without restarting the window (the window max also lets the true-peak
 * detector skip quiet runs, so restart it only when a reader's window really ends). */
static inline float hr_meter_tick_peak(const hr_meter *m)
{
	return m->tick_true_peak > m->tick_sample_peak ? m->tick_true_peak : m->tick_sample_peak;
}

void hr_meter_default_weights(int channels, double *weights);

#endif
