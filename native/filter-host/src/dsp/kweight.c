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
