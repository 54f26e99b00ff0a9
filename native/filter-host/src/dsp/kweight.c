#include "kweight.h"
#include <math.h>

void hr_kweight_init(hr_kweight *k, double rate)
{
	/* Stage 1: high shelf, +4 dB above ~1.7 kHz (models the head as a rigid sphere). */
	const double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
	double K = tan(M_PI * f0 / rate);
	double vh = pow(10.0, gain_db / 20.0);
	double vb = pow(vh, 0.4996667741545416);
	double a0 = 1.0 + K / q + K * K;
	k->shelf.b0 = (vh + vb * K / q + K * K) / a0;
	k->shelf.b1 = 2.0 * (K * K - vh) / a0;
	k->shelf.b2 = (vh - vb * K / q + K * K) / a0;
	k->shelf.a1 = 2.0 * (K * K - 1.0) / a0;
	k->shelf.a2 = (1.0 - K / q + K * K) / a0;

	/* Stage 2: RLB weighting, a 2nd-order high-pass at ~38 Hz. */
	const double f1 = 38.13547087602444, q1 = 0.5003270373238773;
	K = tan(M_PI * f1 / rate);
	a0 = 1.0 + K / q1 + K * K;
	k->hpf.b0 = 1.0;
	k->hpf.b1 = -2.0;
	k->hpf.b2 = 1.0;
	k->hpf.a1 = 2.0 * (K * K - 1.0) / a0;
	k->hpf.a2 = (1.0 - K / q1 + K * K) / a0;
}

/* Both channels in the two lanes of one vector (GCC and clang lower it to SSE2 on x86-64,
 * NEON on aarch64, scalar code elsewhere). Each section is direct form I with the
 * feedback product of the last output added last: the recursion, which is what limits
 * the speed, is one multiply and one add per sample. The high-pass's numerator is 1, -2, 1
 * (hr_kweight_init): written out, its products are exact, so the sums are the same to the
 * bit as with the multiplies, three fewer per sample. */
typedef double hr_v2d __attribute__((vector_size(16)));
typedef double hr_v4d __attribute__((vector_size(32)));

/* One sample of both sections on a vector of lanes (shelf s, high-pass h, histories x, y, z,
 * the squares' sum q): the one definition both widths use, so that a lane of either
 * computes the same to the bit. */
#define KWEIGHT_STEP(V, in)                                                          \
	do {                                                                         \
		V y = s.b0 * (in) + s.b1 * x1 + s.b2 * x2 - s.a2 * y2 - s.a1 * y1; \
		V z = y - (y1 + y1) + y2 - h.a2 * z2 - h.a1 * z1;                    \
		x2 = x1, x1 = (in);                                                  \
		y2 = y1, y1 = y;                                                     \
		z2 = z1, z1 = z;                                                     \
		q += z * z;                                                          \
	} while (0)

void hr_kweight_run2(const hr_kweight *k, hr_kstate *const st[2], const float *const x[2], int n, double sq[2])
{
	const hr_biquad s = k->shelf, h = k->hpf;
	hr_v2d x1 = { st[0]->x1, st[1]->x1 }, x2 = { st[0]->x2, st[1]->x2 };
	hr_v2d y1 = { st[0]->y1, st[1]->y1 }, y2 = { st[0]->y2, st[1]->y2 };
	hr_v2d z1 = { st[0]->z1, st[1]->z1 }, z2 = { st[0]->z2, st[1]->z2 };
	hr_v2d q = { sq[0], sq[1] };
	for (int i = 0; i < n; i++) {
		hr_v2d in = { x[0][i], x[1][i] };
		KWEIGHT_STEP(hr_v2d, in);
	}
	for (int c = 1; c >= 0; c--) { /* channel 0 last: it wins when both are one */
		*st[c] = (hr_kstate){ x1[c], x2[c], y1[c], y2[c], z1[c], z2[c] };
		sq[c] = q[c];
	}
}

/* Four lanes: with AVX, one vector does the work of two above in the same time (the chain
 * meters its input and its output in one pass). On x86-64 it is also built for AVX2 and
 * picked at load time; elsewhere it is two vectors side by side. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
void hr_kweight_run4(const hr_kweight *k, hr_kstate *const st[4], const float *const x[4], int n, double sq[4])
{
	const hr_biquad s = k->shelf, h = k->hpf;
	hr_v4d x1 = { st[0]->x1, st[1]->x1, st[2]->x1, st[3]->x1 }, x2 = { st[0]->x2, st[1]->x2, st[2]->x2, st[3]->x2 };
	hr_v4d y1 = { st[0]->y1, st[1]->y1, st[2]->y1, st[3]->y1 }, y2 = { st[0]->y2, st[1]->y2, st[2]->y2, st[3]->y2 };
	hr_v4d z1 = { st[0]->z1, st[1]->z1, st[2]->z1, st[3]->z1 }, z2 = { st[0]->z2, st[1]->z2, st[2]->z2, st[3]->z2 };
	hr_v4d q = { sq[0], sq[1], sq[2], sq[3] };
	for (int i = 0; i < n; i++) {
		hr_v4d in = { x[0][i], x[1][i], x[2][i], x[3][i] };
		KWEIGHT_STEP(hr_v4d, in);
	}
	for (int c = 3; c >= 0; c--) { /* the lower lane last: it wins when two are one */
		*st[c] = (hr_kstate){ x1[c], x2[c], y1[c], y2[c], z1[c], z2[c] };
		sq[c] = q[c];
	}
}
