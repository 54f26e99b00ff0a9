/* Shared constants and small helpers of the pure DSP (no PipeWire headers here). */
#ifndef HR_DSP_COMMON_H
#define HR_DSP_COMMON_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* "No measurement": published instead of -inf/NaN; clients render it as "—". */
#define HR_LOUDNESS_FLOOR_LUFS (-200.0)
#define HR_MAX_CHANNELS 8
#define HR_MIN_RATE 8000
#define HR_MAX_RATE 384000
/* Frames handled per internal step: stages work on short deinterleaved runs. */
#define HR_CHUNK 64

/* Errors are negative values of this enum; 0 is success. */
enum hr_error {
	HR_OK = 0,
	HR_EINVAL = -1,   /* argument outside its documented domain */
	HR_ERANGE = -2,   /* parameter value outside its [min, max] */
	HR_ENOKEY = -3,   /* unknown parameter */
};

static inline double hr_db_to_lin(double db) { return pow(10.0, db / 20.0); }
static inline double hr_lin_to_db(double lin) { return lin > 0.0 ? 20.0 * log10(lin) : -INFINITY; }

/* BS.1770: L = -0.691 + 10 log10(sum_i G_i * z_i); anything not measurable is the floor. */
static inline double hr_energy_to_lufs(double energy)
{
	if (!(energy > 0.0))
		return HR_LOUDNESS_FLOOR_LUFS;
	double l = -0.691 + 10.0 * log10(energy);
	return l < HR_LOUDNESS_FLOOR_LUFS ? HR_LOUDNESS_FLOOR_LUFS : l;
}

/* max |x[i]| (NaN ignored), in eight lanes that the compiler turns into vector maxima */
static inline float hr_abs_max(const float *x, int n)
{
	float lane[8] = { 0 }, m = 0.0f;
	int i = 0;
	for (; i + 8 <= n; i += 8)
		for (int j = 0; j < 8; j++) {
			float a = fabsf(x[i + j]);
			lane[j] = a > lane[j] ? a : lane[j];
		}
	for (; i < n; i++) {
		float a = fabsf(x[i]);
		m = a > m ? a : m;
	}
	for (int j = 0; j < 8; j++)
		m = lane[j] > m ? lane[j] : m;
	return m;
}

/* Copies n samples into a ring of `size` (a power of two) from pos on, wrapping. */
static inline void hr_ring_write(float *ring, unsigned size, unsigned pos, const float *x, int n)
{
	unsigned first = size - pos < (unsigned)n ? size - pos : (unsigned)n;
	memcpy(ring + pos, x, first * sizeof(float));
	memcpy(ring, x + first, ((unsigned)n - first) * sizeof(float));
}

static inline double hr_lufs_to_energy(double lufs) { return pow(10.0, (lufs + 0.691) / 10.0); }

/* Flush-to-zero / denormals-are-zero for the duration of one process call:
 * denormal feedback in IIR states would otherwise cost 100x CPU on silence tails. */
typedef struct { unsigned int saved; } hr_fpmode;
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
static inline hr_fpmode hr_fpmode_enter(void)
{
	hr_fpmode m = { _mm_getcsr() };
	_mm_setcsr(m.saved | 0x8040u); /* FTZ | DAZ */
	return m;
}
static inline void hr_fpmode_leave(hr_fpmode m) { _mm_setcsr(m.saved); }
#elif defined(__aarch64__)
static inline hr_fpmode hr_fpmode_enter(void)
{
	uint64_t r;
	__asm__ volatile("mrs %0, fpcr" : "=r"(r));
	hr_fpmode m = { (unsigned int)r };
	__asm__ volatile("msr fpcr, %0" ::"r"(r | (1ull << 24)));
	return m;
}
static inline void hr_fpmode_leave(hr_fpmode m) { uint64_t r = m.saved; __asm__ volatile("msr fpcr, %0" ::"r"(r)); }
#else
static inline hr_fpmode hr_fpmode_enter(void) { hr_fpmode m = { 0 }; return m; }
static inline void hr_fpmode_leave(hr_fpmode m) { (void)m; }
#endif

#endif
