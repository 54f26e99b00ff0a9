/* Benchmarks on a generated 10-minute 48 kHz stereo programme:
 *   meter  - our meter (I + LRA + true peak) vs libebur128 (same modes, same samples)
 *   chain  - the full bus chain, ns per stereo frame and x real time
 * Usage: bench-dsp [programme.f32]  (writes the programme there for the CLI bench) */
#include "dsp/chain.h"
#include <ebur128.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RATE 48000
#define SECONDS 600

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* pink-ish noise plus a tone, its level moving every 5 s between -35 and -8 dBFS */
static float *programme(long frames)
{
	float *x = malloc(sizeof(float) * 2 * frames);
	uint64_t s = 0x1234567;
	double b0 = 0, b1 = 0, level = 0.1;
	for (long i = 0; i < frames; i++) {
		if (i % (5 * RATE) == 0) {
			s = s * 6364136223846793005ull + 1442695040888963407ull;
			level = pow(10.0, (-35.0 + 27.0 * (double)(s >> 11) / 9007199254740992.0) / 20.0);
		}
		for (int c = 0; c < 2; c++) {
			s = s * 6364136223846793005ull + 1442695040888963407ull;
			double w = (double)(s >> 11) / 4503599627370496.0 - 1.0;
			b0 = 0.99765 * b0 + w * 0.0990460;
			b1 = 0.96300 * b1 + w * 0.2965164;
			double v = (b0 + b1 + w * 0.1848) * 0.5 + 0.3 * sin(2 * M_PI * 440.0 * i / RATE);
			x[2 * i + c] = (float)(level * v);
		}
	}
	return x;
}

int main(int argc, char **argv)
{
	const long frames = (long)RATE * SECONDS;
	float *x = programme(frames);
	if (argc > 1) {
		FILE *f = fopen(argv[1], "wb");
		if (!f || fwrite(x, sizeof(float) * 2, frames, f) != (size_t)frames)
			return 1;
		fclose(f);
	}

	/* our meter, fed like the addon feeds it: deinterleaved runs */
	static hr_meter m;
	double best_ours = 1e9, best_ref = 1e9, I = 0, lra = 0, tp = 0, refI = 0, refLra = 0, refTp = 0;
	for (int rep = 0; rep < 3; rep++) {
		hr_meter_init(&m, RATE, 2, NULL, HR_METER_GATED | HR_METER_TRUE_PEAK);
		float l[HR_CHUNK], r[HR_CHUNK];
		const float *ch[2] = { l, r };
		double t0 = now();
		for (long off = 0; off < frames; off += HR_CHUNK) {
			int n = frames - off < HR_CHUNK ? (int)(frames - off) : HR_CHUNK;
			for (int i = 0; i < n; i++)
				l[i] = x[2 * (off + i)], r[i] = x[2 * (off + i) + 1];
			hr_meter_process(&m, ch, n);
		}
		hr_meter_flush(&m);
		int measured;
		I = hr_meter_integrated(&m);
		lra = hr_meter_range(&m, &measured);
		tp = 20 * log10(hr_meter_peak(&m));
		double t = now() - t0;
		best_ours = t < best_ours ? t : best_ours;

		ebur128_state *st = ebur128_init(2, RATE, EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
		t0 = now();
		for (long off = 0; off < frames; off += 4096) {
			long n = frames - off < 4096 ? frames - off : 4096;
			ebur128_add_frames_float(st, x + 2 * off, (size_t)n);
		}
		double p0, p1;
		ebur128_loudness_global(st, &refI);
		ebur128_loudness_range(st, &refLra);
		ebur128_true_peak(st, 0, &p0);
		ebur128_true_peak(st, 1, &p1);
		refTp = 20 * log10(p0 > p1 ? p0 : p1);
		t = now() - t0;
		best_ref = t < best_ref ? t : best_ref;
		ebur128_destroy(&st);
	}

	static hr_chain chain;
	float *out = malloc(sizeof(float) * 2 * frames);
	double best_chain = 1e9;
	for (int rep = 0; rep < 3; rep++) {
		hr_chain_init(&chain, RATE, 2, NULL);
		double t0 = now();
		for (long off = 0; off < frames; off += 1024) {
			int n = frames - off < 1024 ? (int)(frames - off) : 1024;
			hr_chain_process(&chain, x + 2 * off, out + 2 * off, n);
		}
		double t = now() - t0;
		best_chain = t < best_chain ? t : best_chain;
	}
	printf("{\"meter\":{\"oursSeconds\":%.4f,\"libebur128Seconds\":%.4f,\"speedup\":%.2f,"
	       "\"ours\":{\"I\":%.2f,\"LRA\":%.2f,\"TP\":%.2f},\"libebur128\":{\"I\":%.2f,\"LRA\":%.2f,\"TP\":%.2f}},"
	       "\"chain\":{\"seconds\":%.4f,\"nsPerFrame\":%.1f,\"realtimeFactor\":%.0f}}\n",
	       best_ours, best_ref, best_ref / best_ours, I, lra, tp, refI, refLra, refTp,
	       best_chain, best_chain * 1e9 / frames, SECONDS / best_chain);
	free(x);
	free(out);
	return 0;
}
