#include "truepeak.h"
#include <string.h>

static double bessel_i0(double x)
{
	double sum = 1.0, term = 1.0;
	for (int k = 1; k < 64; k++) {
		term *= (x / (2.0 * k)) * (x / (2.0 * k));
		sum += term;
		if (term < 1e-17 * sum)
			break;
	}
	return sum;
}

int hr_truepeak_init(hr_truepeak *tp, int channels, int factor, int taps, double beta)
{
	if (channels < 1 || channels > HR_MAX_CHANNELS || factor < 2 || factor > HR_TP_MAX_FACTOR ||
	    taps < 4 || taps > HR_TP_MAX_TAPS || (taps & 1))
		return HR_EINVAL;
	memset(tp, 0, sizeof(*tp));
	tp->channels = channels;
	tp->factor = factor;
	tp->taps = taps;
	tp->delay = taps / 2;
	double half = taps / 2.0, i0b = bessel_i0(beta);
	float bound = 1.0f, tail = 0.0f;
	const int near_lo = tp->delay - HR_TP_NEAR / 2, near_hi = tp->delay + HR_TP_NEAR / 2;
	for (int p = 1; p < factor; p++) {
		double f = (double)p / factor, sum = 0.0, abs_sum = 0.0;
		double c[HR_TP_MAX_TAPS];
		/* coef[k] multiplies x[n-k]; the point sits at n - D + f, so the sinc argument is k - D + f */
		for (int k = 0; k < taps; k++) {
			double t = k - tp->delay + f;
			double u = t / half;
			double w = fabs(u) < 1.0 ? bessel_i0(beta * sqrt(1.0 - u * u)) / i0b : 0.0;
			double s = t == 0.0 ? 1.0 : sin(M_PI * t) / (M_PI * t);
			c[k] = s * w;
			sum += c[k];
		}
		double far_sum = 0.0;
		for (int k = 0; k < taps; k++) {
			tp->coef[p - 1][k] = (float)(c[k] / sum);
			abs_sum += fabs(c[k] / sum);
			if (k < near_lo || k >= near_hi)
				far_sum += fabs(c[k] / sum);
		}
		if (abs_sum > bound)
			bound = (float)abs_sum;
		if (far_sum > tail)
			tail = (float)far_sum;
	}
	/* float rounding of the products: keep the bounds conservative (the filter's own
	 * rounding error is under 1e-4 * bound * max|x|) */
	tp->bound = bound * 1.0001f;
	tp->tail = taps > HR_TP_NEAR ? tail + 1e-4f * tp->bound : 0.0f;
	return HR_OK;
}

void hr_truepeak_reset(hr_truepeak *tp)
{
	memset(tp->buf, 0, sizeof(tp->buf));
}

/* Copy the run behind the history; returns max |x| over history + run. */
static float load_channel(hr_truepeak *tp, int c, const float *x, int n)
{
	float *b = tp->buf[c];
	int h = tp->taps - 1;
	memcpy(b + h, x, (size_t)n * sizeof(float));
	return hr_abs_max(b, h + n);
}

static void keep_history(hr_truepeak *tp, int c, int n)
{
	float *b = tp->buf[c];
	memmove(b, b + n, (size_t)(tp->taps - 1) * sizeof(float));
}

/* Eight floats: GCC and clang make it one AVX or two SSE2/NEON registers, or scalars. */
typedef float hr_v8sf __attribute__((vector_size(32)));

/* peak[i] = max(peak[i], detector output of channel c for run sample i), where the
 * interpolated points use taps k0..k1-1 only (0..taps: the detector itself).
 * Phases go in threes and outputs in blocks of 16: six vector sums, enough independent
 * ones to hide the adds' latency (each output's sum still runs from k0 to k1 in order).
 * A block may read past the run into the buffer's spare room; those outputs go unused.
 * The hot loop of the whole chain: on x86-64 it is also built for AVX2 and picked at load
 * time, so one binary runs everywhere and uses the wider vectors where they exist (no fused
 * multiply-adds: the build turns contraction off, the sums are the default build's). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
static void interpolate_channel(const hr_truepeak *tp, int c, int n, int k0, int k1, float *peak)
{
	const float *b = tp->buf[c];
	int h = tp->taps - 1, last = tp->factor - 2;
	for (int i = 0; i < n; i++) {
		float a = fabsf(b[h + i - tp->delay]);
		peak[i] = a > peak[i] ? a : peak[i];
	}
	for (int p = 0; p <= last; p += 3) {
		const float *c0 = tp->coef[p], *c1 = tp->coef[p + 1 < last ? p + 1 : last],
			    *c2 = tp->coef[p + 2 < last ? p + 2 : last];
		for (int i0 = 0; i0 < n; i0 += 16) {
			hr_v8sf a[6] = { { 0 } };
			for (int k = k0; k < k1; k++) {
				hr_v8sf x0, x1;
				memcpy(&x0, b + h + i0 - k, sizeof(x0));
				memcpy(&x1, b + h + i0 + 8 - k, sizeof(x1));
				a[0] += c0[k] * x0, a[1] += c0[k] * x1;
				a[2] += c1[k] * x0, a[3] += c1[k] * x1;
				a[4] += c2[k] * x0, a[5] += c2[k] * x1;
			}
			float out[6][8];
			memcpy(out, a, sizeof(out));
			for (int j = 0; j < 16 && i0 + j < n; j++) {
				int v = j >> 3, l = j & 7;
				float m = fabsf(out[v][l]), m1 = fabsf(out[2 + v][l]), m2 = fabsf(out[4 + v][l]);
				m = m1 > m ? m1 : m;
				m = m2 > m ? m2 : m;
				peak[i0 + j] = m > peak[i0 + j] ? m : peak[i0 + j];
			}
		}
	}
}

/* Whether the run just loaded (max |x| = m) needs the full filter to be exact above
 * skip_below: no when the near taps plus the tail bound keep every point under it. */
static int needs_filter(const hr_truepeak *tp, int c, int n, float m, float skip_below)
{
	if (m * tp->bound <= skip_below)
		return 0;
	if (tp->tail == 0.0f)
		return 1;
	float near = skip_below - tp->tail * m;
	if (!(near > 0.0f))
		return 1;
	float peak[HR_CHUNK] = { 0 };
	interpolate_channel(tp, c, n, tp->delay - HR_TP_NEAR / 2, tp->delay + HR_TP_NEAR / 2, peak);
	for (int i = 0; i < n; i++)
		if (peak[i] > near)
			return 1;
	return 0;
}

void hr_truepeak_run(hr_truepeak *tp, const float *const *ch, int n, float *peak, float skip_below)
{
	for (int i = 0; i < n; i++)
		peak[i] = 0.0f;
	for (int c = 0; c < tp->channels; c++) {
		float m = load_channel(tp, c, ch[c], n);
		if (!needs_filter(tp, c, n, m, skip_below)) {
			const float *b = tp->buf[c] + tp->taps - 1 - tp->delay;
			for (int i = 0; i < n; i++) {
				float a = fabsf(b[i]);
				peak[i] = a > peak[i] ? a : peak[i];
			}
		} else {
			interpolate_channel(tp, c, n, 0, tp->taps, peak);
		}
		keep_history(tp, c, n);
	}
}

float hr_truepeak_run_max(hr_truepeak *tp, const float *const *ch, int n, float skip_below)
{
	float best = 0.0f;
	for (int c = 0; c < tp->channels; c++) {
		float m = load_channel(tp, c, ch[c], n);
		if (needs_filter(tp, c, n, m, skip_below > best ? skip_below : best)) {
			float peak[HR_CHUNK] = { 0 };
			interpolate_channel(tp, c, n, 0, tp->taps, peak);
			float p = hr_abs_max(peak, n);
			best = p > best ? p : best;
		}
		keep_history(tp, c, n);
	}
	return best;
}
