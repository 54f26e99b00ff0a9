#include "chain.h"
#include <string.h>

/* A few milliseconds: long enough not to click, short enough to feel instant. */
#define HR_BYPASS_RAMP_MS 10.0

static void apply_params(hr_chain *ch)
{
	const double *p = ch->params;
	hr_agc_configure(&ch->agc, p[HR_P_AGC_TARGET_LUFS], p[HR_P_AGC_MAX_GAIN_DB], p[HR_P_AGC_MIN_GAIN_DB],
			 p[HR_P_AGC_CUT_SPEED], p[HR_P_AGC_BOOST_SPEED], p[HR_P_AGC_SILENCE_GATE_LUFS]);
	hr_compressor_configure(&ch->comp, p[HR_P_COMP_THRESHOLD_DB], p[HR_P_COMP_RATIO], p[HR_P_COMP_KNEE_DB],
				p[HR_P_COMP_ATTACK_MS], p[HR_P_COMP_RELEASE_MS]);
	int latency = ch->lim.latency;
	hr_limiter_configure(&ch->lim, p[HR_P_LIM_CEILING_DBTP], p[HR_P_LIM_LOOKAHEAD_MS], p[HR_P_LIM_RELEASE_MS]);
	if (latency != ch->lim.latency) {
		memset(ch->dry, 0, sizeof(ch->dry));
		ch->dry_pos = 0;
	}
}

int hr_chain_init(hr_chain *ch, int rate, int channels, const double *weights)
{
	int r;
	memset(ch, 0, sizeof(*ch));
	ch->rate = rate;
	ch->channels = channels;
	if ((r = hr_meter_init(&ch->in_meter, rate, channels, weights, HR_METER_GATED | HR_METER_TRUE_PEAK)) < 0)
		return r;
	if ((r = hr_meter_init(&ch->out_meter, rate, channels, weights, HR_METER_GATED | HR_METER_TRUE_PEAK)) < 0)
		return r;
	if ((r = hr_limiter_init(&ch->lim, rate, channels)) < 0)
		return r;
	hr_agc_init(&ch->agc, ch->in_meter.sub_len * ch->in_meter.subs_per_block);
	hr_compressor_init(&ch->comp, rate);
	hr_params_defaults(ch->params);
	apply_params(ch);
	hr_chain_reset(ch);
	return HR_OK;
}

/* Dynamic state only: gains, envelopes, delay lines. Meters and counters keep going. */
static void reset_dynamics(hr_chain *ch)
{
	hr_compressor_reset(&ch->comp);
	hr_limiter_reset(&ch->lim);
	memset(ch->dry, 0, sizeof(ch->dry));
	ch->dry_pos = 0;
}

void hr_chain_reset(hr_chain *ch)
{
	hr_meter_reset(&ch->in_meter);
	hr_meter_reset(&ch->out_meter);
	hr_agc_reset(&ch->agc);
	reset_dynamics(ch);
	ch->bypass_mix = ch->bypass_target;
	ch->bypass_step = 0.0f;
	ch->fade_left = ch->fade_len = 0;
	ch->invalid_blocks = 0;
}

int hr_chain_set_param(hr_chain *ch, int id, double value)
{
	int r = hr_param_check(id, value);
	if (r < 0)
		return r;
	ch->params[id] = value;
	apply_params(ch);
	return HR_OK;
}

void hr_chain_set_bypass(hr_chain *ch, int on)
{
	ch->bypass_target = on ? 1.0f : 0.0f;
	ch->bypass_step = (float)(1.0 / (HR_BYPASS_RAMP_MS * ch->rate / 1000.0));
}

static int all_finite(const float *x, long n)
{
	/* x - x is 0 for finite x and NaN otherwise (a test the compiler vectorizes) */
	int bad = 0;
	for (long i = 0; i < n; i++)
		bad |= !(x[i] - x[i] == 0.0f);
	return !bad;
}

static void bypass_mix(hr_chain *ch, float *const *wet, const float *const *x, int n)
{
	const unsigned mask = HR_LIM_RING - 1;
	unsigned lat = (unsigned)ch->lim.latency;
	float mix = ch->bypass_mix;
	for (int c = 0; c < ch->channels; c++)
		hr_ring_write(ch->dry[c], HR_LIM_RING, ch->dry_pos, x[c], n);
	if (mix == ch->bypass_target && mix == 0.0f) {
		ch->dry_pos = (ch->dry_pos + (unsigned)n) & mask;
		return;
	}
	for (int i = 0; i < n; i++) {
		if (mix < ch->bypass_target)
			mix = fminf(ch->bypass_target, mix + ch->bypass_step);
		else if (mix > ch->bypass_target)
			mix = fmaxf(ch->bypass_target, mix - ch->bypass_step);
		for (int c = 0; c < ch->channels; c++) {
			float dry = ch->dry[c][(ch->dry_pos + i - lat) & mask];
			wet[c][i] = wet[c][i] * (1.0f - mix) + dry * mix;
		}
	}
	ch->bypass_mix = mix;
	ch->dry_pos = (ch->dry_pos + (unsigned)n) & mask;
}

void hr_chain_continue(hr_chain *ch, double agc_gain_db, double comp_gr_db, double lim_gr_db, double fade_ms)
{
	hr_agc_set_gain(&ch->agc, agc_gain_db);
	hr_compressor_seed(&ch->comp, comp_gr_db);
	hr_limiter_seed(&ch->lim, lim_gr_db);
	ch->fade_len = ch->fade_left = fade_ms > 0.0 ? (int)lround(fade_ms * ch->rate / 1000.0) : 0;
}

/* Raised from silence: the first fade_len input samples after hr_chain_continue (the
 * input as metered and as processed alike). */
static void fade_in(hr_chain *ch, float *const *x, float *const *wet, int n)
{
	for (int i = 0; i < n && ch->fade_left > 0; i++, ch->fade_left--) {
		float g = (float)(ch->fade_len - ch->fade_left) / (float)ch->fade_len;
		for (int c = 0; c < ch->channels; c++) {
			x[c][i] *= g;
			wet[c][i] *= g;
		}
	}
}

/* Channel c of frame i is at in[c][i * stride]: interleaved (stride = channels) and
 * planar (stride 1) input and output share one body. */
static int all_finite_strided(const float *const *x, size_t stride, int channels, int frames)
{
	if (stride == 1) {
		for (int c = 0; c < channels; c++)
			if (!all_finite(x[c], frames))
				return 0;
		return 1;
	}
	return all_finite(x[0], (long)frames * channels);
}

static void silence(float *const *out, size_t stride, int channels, int frames)
{
	for (int c = 0; c < channels; c++)
		for (int i = 0; i < frames; i++)
			out[c][(size_t)i * stride] = 0.0f;
}

static void process(hr_chain *ch, const float *const *in, float *const *out, size_t stride, int frames)
{
	const int nc = ch->channels;
	if (!all_finite_strided(in, stride, nc, frames)) {
		reset_dynamics(ch);
		silence(out, stride, nc, frames);
		ch->invalid_blocks++;
		return;
	}
	hr_fpmode fp = hr_fpmode_enter();
	float xin[HR_MAX_CHANNELS][HR_CHUNK], wet[HR_MAX_CHANNELS][HR_CHUNK];
	float *xin_p[HR_MAX_CHANNELS], *wet_p[HR_MAX_CHANNELS];
	for (int c = 0; c < nc; c++) {
		xin_p[c] = xin[c];
		wet_p[c] = wet[c];
	}
	int done = 0;
	while (done < frames) {
		int n = frames - done;
		if (n > HR_CHUNK)
			n = HR_CHUNK;
		int sub = hr_meter_until_sub_end(&ch->in_meter);
		if (n > sub)
			n = sub;
		for (int c = 0; c < nc; c++) {
			const float *src = in[c] + (size_t)done * stride;
			for (int i = 0; i < n; i++)
				xin[c][i] = wet[c][i] = src[(size_t)i * stride];
		}
		if (ch->fade_left > 0)
			fade_in(ch, xin_p, wet_p, n);

		hr_agc_apply(&ch->agc, wet_p, nc, n);
		hr_compressor_process(&ch->comp, wet_p, nc, n);
		hr_limiter_process(&ch->lim, (const float *const *)wet_p, wet_p, n);
		bypass_mix(ch, wet_p, (const float *const *)xin_p, n);
		/* input and output metered in one pass; a chunk ends at the input meter's
		 * sub-block end or before it, so a 100 ms block ends only at a chunk's end and a
		 * gain the AGC decides there applies from the next chunk on, as if the input had
		 * been metered before the gain was applied */
		int out_blocks;
		if (hr_meter_process2(&ch->in_meter, (const float *const *)xin_p, &ch->out_meter, (const float *const *)wet_p, n, &out_blocks) > 0)
			hr_agc_block(&ch->agc, hr_meter_momentary(&ch->in_meter), hr_meter_short_term(&ch->in_meter));

		for (int c = 0; c < nc; c++) {
			float *dst = out[c] + (size_t)done * stride;
			for (int i = 0; i < n; i++)
				dst[(size_t)i * stride] = wet[c][i];
		}
		done += n;
	}
	hr_fpmode_leave(fp);
	if (!all_finite_strided((const float *const *)out, stride, nc, frames)) {
		/* corrupted state: never let it through, start the dynamics over */
		reset_dynamics(ch);
		hr_agc_reset(&ch->agc);
		silence(out, stride, nc, frames);
		ch->invalid_blocks++;
	}
}

void hr_chain_process(hr_chain *ch, const float *in, float *out, int frames)
{
	const float *in_c[HR_MAX_CHANNELS];
	float *out_c[HR_MAX_CHANNELS];
	for (int c = 0; c < ch->channels; c++) {
		in_c[c] = in + c;
		out_c[c] = out + c;
	}
	process(ch, in_c, out_c, (size_t)ch->channels, frames);
}

void hr_chain_process_planar(hr_chain *ch, const float *const *in, float *const *out, int frames)
{
	process(ch, in, out, 1, frames);
}

void hr_chain_stats_get(const hr_chain *ch, hr_chain_stats *st)
{
	st->agc_gain_db = ch->agc.gain_db;
	st->agc_min_db = ch->agc.min_seen_db;
	st->agc_max_db = ch->agc.max_seen_db;
	st->compressor_reduction_db = hr_compressor_reduction_db(&ch->comp);
	st->compressor_max_reduction_db = ch->comp.max_reduction_db;
	st->limiter_reduction_db = ch->lim.gain < 1.0f ? -20.0 * log10(ch->lim.gain) : 0.0;
	st->limiter_max_reduction_db = ch->lim.min_gain < 1.0f ? -20.0 * log10(ch->lim.min_gain) : 0.0;
	st->invalid_blocks = ch->invalid_blocks;
	st->latency_frames = ch->lim.latency;
	st->bypass = ch->bypass_target > 0.5f;
}
