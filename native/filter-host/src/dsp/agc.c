#include "agc.h"
#include "common.h"
#include "params.h"

void hr_agc_init(hr_agc *a, int block_len)
{
	a->block_len = block_len;
	const hr_param_info *d = hr_params; /* the defaults are the parameter table's (params.c) */
	hr_agc_configure(a, d[HR_P_AGC_TARGET_LUFS].def, d[HR_P_AGC_MAX_GAIN_DB].def, d[HR_P_AGC_MIN_GAIN_DB].def,
			 d[HR_P_AGC_CUT_SPEED].def, d[HR_P_AGC_BOOST_SPEED].def, d[HR_P_AGC_SILENCE_GATE_LUFS].def);
	hr_agc_reset(a);
}

void hr_agc_reset(hr_agc *a)
{
	hr_agc_set_gain(a, 0.0);
	a->hold_blocks = 0;
}

void hr_agc_hold(hr_agc *a, int blocks)
{
	if (blocks > a->hold_blocks)
		a->hold_blocks = blocks;
}

void hr_agc_set_gain(hr_agc *a, double gain_db)
{
	a->gain_db = gain_db;
	if (a->gain_db > a->max_gain_db)
		a->gain_db = a->max_gain_db;
	if (a->gain_db < a->min_gain_db)
		a->gain_db = a->min_gain_db;
	a->gain_lin = hr_db_to_lin(a->gain_db);
	a->step = 0.0;
	a->ramp_left = 0;
	a->min_seen_db = a->max_seen_db = a->gain_db;
}

void hr_agc_configure(hr_agc *a, double target_lufs, double max_gain_db, double min_gain_db,
		      double cut_db_per_s, double boost_db_per_s, double gate_lufs)
{
	a->target_lufs = target_lufs;
	a->max_gain_db = max_gain_db;
	a->min_gain_db = min_gain_db;
	a->gate_lufs = gate_lufs;
	/* blocks are 100 ms */
	a->cut_db_per_block = cut_db_per_s / 10.0;
	a->boost_db_per_block = boost_db_per_s / 10.0;
}

void hr_agc_block(hr_agc *a, double momentary, double short_term)
{
	double next = a->gain_db;
	int measured = momentary > HR_LOUDNESS_FLOOR_LUFS;
	int held = a->hold_blocks > 0;
	if (held)
		a->hold_blocks--;
	if (measured && !held && momentary >= a->gate_lufs) {
		double level = short_term > momentary ? short_term : momentary;
		double want = a->target_lufs - level;
		if (want < next)
			next = want > next - a->cut_db_per_block ? want : next - a->cut_db_per_block;
		else
			next = want < next + a->boost_db_per_block ? want : next + a->boost_db_per_block;
	}
	/* limits apply even when frozen: a new max_gain takes effect at once (ramped) */
	if (next > a->max_gain_db)
		next = a->max_gain_db;
	if (next < a->min_gain_db)
		next = a->min_gain_db;
	a->gain_db = next;
	double target = hr_db_to_lin(next);
	a->step = (target - a->gain_lin) / a->block_len;
	a->ramp_left = a->block_len;
	if (next < a->min_seen_db)
		a->min_seen_db = next;
	if (next > a->max_seen_db)
		a->max_seen_db = next;
}

void hr_agc_apply(hr_agc *a, float *const *ch, int channels, int n)
{
	double g = a->gain_lin, step = a->step;
	int left = a->ramp_left, i = 0;
	for (; i < n && left > 0; i++) { /* a ramp: the gain moves every sample */
		g += step;
		if (--left == 0)
			g = hr_db_to_lin(a->gain_db); /* land exactly */
		float gf = (float)g;
		for (int c = 0; c < channels; c++)
			ch[c][i] *= gf;
	}
	if (i < n) { /* then one gain for the rest: a loop the compiler vectorises */
		float gf = (float)g;
		for (int c = 0; c < channels; c++)
			for (int k = i; k < n; k++)
				ch[c][k] *= gf;
	}
	a->gain_lin = g;
	a->ramp_left = left;
}
