#include "limiter.h"
#include "params.h"
#include <string.h>

/* Margin for what 4x interpolation can still miss between its points (about 0.15 dB for a
 * tone at 0.45 fs) and for gain movement between samples; measured against a 32x
 * reference in the tests. */
#define HR_LIM_MARGIN_DB 0.3

int hr_limiter_init(hr_limiter *l, int rate, int channels)
{
	if (rate < HR_MIN_RATE || rate > HR_MAX_RATE || channels < 1 || channels > HR_MAX_CHANNELS)
		return HR_EINVAL;
	memset(l, 0, sizeof(*l));
	l->rate = rate;
	l->channels = channels;
	/* 96-tap phases: flat to ~0.48 fs, so broadband content right up to Nyquist (noise,
	 * near-Nyquist tones at 44.1 kHz) reads as a 128-tap 32x reference reads it; a
	 * 48-tap detector under-reads white noise by 0.3 dB. */
	int r = hr_truepeak_init(&l->tp, channels, 4, 96, 5.0);
	if (r < 0)
		return r;
	const hr_param_info *d = hr_params; /* the defaults are the parameter table's (params.c) */
	hr_limiter_configure(l, d[HR_P_LIM_CEILING_DBTP].def, d[HR_P_LIM_LOOKAHEAD_MS].def, d[HR_P_LIM_RELEASE_MS].def);
	return HR_OK;
}

void hr_limiter_reset(hr_limiter *l)
{
	hr_truepeak_reset(&l->tp);
	l->prev_peak = 0.0f;
	l->dq_head = l->dq_tail = 0;
	l->t = 0;
	l->env = 1.0;
	for (int i = 0; i < l->lookahead; i++)
		l->box[i] = 1.0f;
	l->box_pos = 0;
	l->box_sum = l->lookahead;
	l->ones_run = l->lookahead;
	memset(l->delay, 0, sizeof(l->delay));
	l->dpos = 0;
	l->gain = 1.0f;
	l->min_gain = 1.0f;
}

void hr_limiter_seed(hr_limiter *l, double gr_db)
{
	if (!(gr_db > 0.0))
		return;
	float g = (float)hr_db_to_lin(-gr_db);
	l->env = g;
	for (int i = 0; i < l->lookahead; i++)
		l->box[i] = g;
	l->box_sum = (double)g * l->lookahead;
	l->ones_run = 0;
	l->gain = g;
}

void hr_limiter_configure(hr_limiter *l, double ceiling_dbtp, double lookahead_ms, double release_ms)
{
	int la = (int)lround(lookahead_ms * l->rate / 1000.0);
	if (la < 1)
		la = 1;
	if (la > HR_LIM_MAX_LOOKAHEAD)
		la = HR_LIM_MAX_LOOKAHEAD;
	l->threshold = (float)hr_db_to_lin(ceiling_dbtp - HR_LIM_MARGIN_DB);
	l->rel = 1.0 - exp(-1000.0 / (release_ms * l->rate));
	if (la != l->lookahead) {
		l->lookahead = la;
		l->latency = la - 1 + l->tp.delay;
		hr_limiter_reset(l);
	}
}

static inline void deque_push(hr_limiter *l, float r)
{
	const unsigned mask = HR_LIM_RING - 1;
	while (l->dq_tail != l->dq_head && l->dq_val[(l->dq_tail - 1) & mask] >= r)
		l->dq_tail--;
	l->dq_idx[l->dq_tail & mask] = l->t;
	l->dq_val[l->dq_tail & mask] = r;
	l->dq_tail++;
	while (l->dq_idx[l->dq_head & mask] + (uint64_t)l->lookahead <= l->t)
		l->dq_head++;
}

void hr_limiter_process(hr_limiter *l, const float *const *in, float *const *out, int n)
{
	const unsigned mask = HR_LIM_RING - 1;
	float peak[HR_CHUNK], gain[HR_CHUNK];
	hr_truepeak_run(&l->tp, in, n, peak, l->threshold);

	const float thr = l->threshold;
	int quiet = 1;
	for (int i = 0; i < n; i++)
		if (peak[i] > thr)
			quiet = 0;
	/* idle and nothing to limit: the gain is exactly 1, skip the envelope machinery */
	if (quiet && l->prev_peak <= thr && l->ones_run >= l->lookahead && l->env == 1.0) {
		l->dq_head = 0;
		l->dq_tail = 1;
		l->t += (uint64_t)n;
		l->dq_idx[0] = l->t - 1;
		l->dq_val[0] = 1.0f;
		l->box_pos = (l->box_pos + n) % l->lookahead;
		l->prev_peak = peak[n - 1];
		for (int i = 0; i < n; i++)
			gain[i] = 1.0f;
	} else {
		for (int i = 0; i < n; i++) {
			float p = peak[i] > l->prev_peak ? peak[i] : l->prev_peak;
			l->prev_peak = peak[i];
			float r = p > thr ? thr / p : 1.0f;
			deque_push(l, r);
			l->t++;
			double m = l->dq_val[l->dq_head & mask];
			double e = l->env;
			if (m < e)
				e = m;
			else
				e += (m - e) * l->rel;
			if (e > 1.0 - 1e-7 && m == 1.0)
				e = 1.0;
			l->env = e;
			float ef = (float)e;
			if (ef > (float)m)
				ef = (float)m; /* float rounding must not lift the gain above what is needed */
			l->box_sum += ef - l->box[l->box_pos];
			l->box[l->box_pos] = ef;
			if (++l->box_pos == l->lookahead)
				l->box_pos = 0;
			l->ones_run = ef == 1.0f ? l->ones_run + 1 : 0;
			if (l->ones_run >= l->lookahead)
				l->box_sum = l->lookahead;
			float g = (float)(l->box_sum / l->lookahead);
			gain[i] = g;
			if (g < l->min_gain)
				l->min_gain = g;
		}
	}
	l->gain = gain[n - 1];

	/* the whole run into the delay line first (out may alias in), then the delayed
	 * samples out of it, in at most two unbroken pieces each */
	unsigned at = (l->dpos - (unsigned)l->latency) & mask;
	int first = HR_LIM_RING - at < (unsigned)n ? (int)(HR_LIM_RING - at) : n;
	for (int c = 0; c < l->channels; c++) {
		const float *d = l->delay[c];
		float *y = out[c];
		hr_ring_write(l->delay[c], HR_LIM_RING, l->dpos, in[c], n);
		for (int i = 0; i < first; i++)
			y[i] = d[at + i] * gain[i];
		for (int i = first; i < n; i++)
			y[i] = d[i - first] * gain[i];
	}
	l->dpos = (l->dpos + (unsigned)n) & mask;
}
