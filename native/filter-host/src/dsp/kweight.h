/* K-weighting (BS.1770-4): a high-shelf "head" filter then the RLB high-pass.
 * BS.1770 tabulates the coefficients for 48 kHz only; we derive them for any rate from
 * the analogue prototype (f0, gain, Q) by the bilinear transform, which reproduces the
 * 48 kHz table to 1e-8. */
#ifndef HR_DSP_KWEIGHT_H
#define HR_DSP_KWEIGHT_H

typedef struct hr_biquad {
	double b0, b1, b2, a1, a2;
} hr_biquad;

typedef struct hr_kweight {
	hr_biquad shelf, hpf;
} hr_kweight;

/* Direct form I history of both sections for one channel: x = input, y = shelf output
 * (the high-pass input), z = output; 1 and 2 samples back. */
typedef struct hr_kstate {
	double x1, x2, y1, y2, z1, z2;
} hr_kstate;

void hr_kweight_init(hr_kweight *k, double rate);

/* Filters n samples of two channels side by side (they may be one channel twice) and
 * adds the squared outputs to sq[0] and sq[1]. */
void hr_kweight_run2(const hr_kweight *k, hr_kstate *const st[2], const float *const x[2], int n, double sq[2]);
/* The same for four (two meters' channel pairs at once); each lane as hr_kweight_run2's. */
void hr_kweight_run4(const hr_kweight *k, hr_kstate *const st[4], const float *const x[4], int n, double sq[4]);

#endif
