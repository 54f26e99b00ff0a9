/* Test signals and an independent reference true-peak meter (32x windowed sinc, 128-tap
 * phases, no shortcuts), deliberately sharing no code with the DSP under test. */
#ifndef HR_TEST_SIGNALS_H
#define HR_TEST_SIGNALS_H
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static double rng_uniform(void) /* [-1, 1) */
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) / 4503599627370496.0 - 1.0;
}

/* interleaved stereo sine, amplitude in dBFS, phase in degrees */
static void sine(float *buf, long frames, int channels, double rate, double freq, double dbfs, double phase_deg)
{
	double a = pow(10.0, dbfs / 20.0);
	for (long i = 0; i < frames; i++) {
		float v = (float)(a * sin(2.0 * M_PI * freq * i / rate + phase_deg * M_PI / 180.0));
		for (int c = 0; c < channels; c++)
			buf[i * channels + c] = v;
	}
}

static double bessel0(double x)
{
	double s = 1.0, t = 1.0;
	for (int k = 1; k < 80; k++) {
		t *= (x / (2.0 * k)) * (x / (2.0 * k));
		s += t;
	}
	return s;
}

/* max |x(t)| of the band-limited reconstruction, 32 points per sample, linear scale */
static double reference_true_peak(const float *x, long frames, int channels)
{
	enum { OS = 32, HALF = 64 };
	static double coef[OS][2 * HALF];
	static int ready;
	if (!ready) {
		double beta = 9.0, i0 = bessel0(beta);
		for (int p = 0; p < OS; p++)
			for (int k = 0; k < 2 * HALF; k++) {
				double t = (k - HALF + 1) - (double)p / OS; /* x[n + k - HALF + 1] at n + p/OS */
				double u = t / HALF;
				double w = fabs(u) < 1.0 ? bessel0(beta * sqrt(1.0 - u * u)) / i0 : 0.0;
				coef[p][k] = (t == 0.0 ? 1.0 : sin(M_PI * t) / (M_PI * t)) * w;
			}
		ready = 1;
	}
	double best = 0.0;
	for (int c = 0; c < channels; c++)
		for (long n = 0; n < frames; n++) {
			/* sum |coef| < 4: a window that small cannot beat the best so far */
			double local = 0.0;
			for (int k = 0; k < 2 * HALF; k++) {
				long i = n + k - HALF + 1;
				if (i >= 0 && i < frames && fabs(x[i * channels + c]) > local)
					local = fabs(x[i * channels + c]);
			}
			if (4.0 * local <= best)
				continue;
			for (int p = 0; p < OS; p++) {
				double acc = 0.0;
				for (int k = 0; k < 2 * HALF; k++) {
					long i = n + k - HALF + 1;
					if (i >= 0 && i < frames)
						acc += coef[p][k] * x[i * channels + c];
				}
				if (fabs(acc) > best)
					best = fabs(acc);
			}
		}
	return best;
}
#endif
