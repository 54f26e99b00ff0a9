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

/* Transposed direct form II state of both sections for one channel. */
typedef struct hr_kstate {
	double s1, s2, h1, h2;
} hr_kstate;

void hr_kweight_init(hr_kweight *k, double rate);

static inline double hr_kweight_tick(const hr_kweight *k, hr_kstate *st, double x)
{
	double y = k->shelf.b0 * x + st->s1;
	st->s1 = k->shelf.b1 * x - k->shelf.a1 * y + st->s2;
	st->s2 = k->shelf.b2 * x - k->shelf.a2 * y;
	double z = k->hpf.b0 * y + st->h1;
	st->h1 = k->hpf.b1 * y - k->hpf.a1 * z + st->h2;
	st->h2 = k->hpf.b2 * y - k->hpf.a2 * z;
	return z;
}

#endif
