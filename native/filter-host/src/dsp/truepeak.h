/* True-peak detector: band-limited interpolation between samples (BS.1770-4 Annex 2).
 *
 * For each input sample n the detector reports the largest |x(t)| over the interval
 * t in [n-D, n-D+1), evaluated at `factor` points (the sample itself plus factor-1
 * interpolated ones); D = taps/2 is its delay. Phase f uses a Kaiser-windowed sinc
 * centred on the fractional position, normalised to unity DC gain.
 *
 * Cheap when nothing can matter: |interpolated| <= bound * max|x| over the window, so
 * a run whose bound stays under the caller's threshold skips the filter and reports
 * plain |x| (which is then also under the threshold). A run that fails this test gets
 * a second, tighter one: the HR_TP_NEAR taps nearest each point, plus tail * max|x| for
 * the others, bound the output within a few dB, and only a run that may still exceed
 * the threshold pays for the full filter. Callers get identical answers whether or not
 * a run was skipped. */
#ifndef HR_DSP_TRUEPEAK_H
#define HR_DSP_TRUEPEAK_H

#include "common.h"

#define HR_TP_MAX_TAPS 96
#define HR_TP_MAX_FACTOR 8
#define HR_TP_NEAR 16

typedef struct hr_truepeak {
	int channels, factor, taps, delay;
	float bound; /* max over phases of sum |coef| (>= 1) */
	float tail;  /* max over phases of sum |coef| beyond the HR_TP_NEAR central taps; 0: none */
	float coef[HR_TP_MAX_FACTOR - 1][HR_TP_MAX_TAPS];
	/* per channel: taps-1 samples of history followed by the current run */
	float buf[HR_MAX_CHANNELS][HR_TP_MAX_TAPS + HR_CHUNK];
} hr_truepeak;

/* factor in 2..8, taps even in 4..HR_TP_MAX_TAPS, beta = Kaiser shape. */
int hr_truepeak_init(hr_truepeak *tp, int channels, int factor, int taps, double beta);
void hr_truepeak_reset(hr_truepeak *tp);

/* Push n <= HR_CHUNK frames (ch[c][i]); peak[i] = max over channels of the detector
 * output for input sample i (delayed by tp->delay). Values are exact where they may
 * exceed skip_below; elsewhere they are only guaranteed <= skip_below. */
void hr_truepeak_run(hr_truepeak *tp, const float *const *ch, int n, float *peak, float skip_below);

/* Same, but only the maximum over the run is returned. */
float hr_truepeak_run_max(hr_truepeak *tp, const float *const *ch, int n, float skip_below);

#endif
