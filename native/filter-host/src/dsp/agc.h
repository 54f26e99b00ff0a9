/* Slow loudness loop. Once per 100 ms block it compares the programme's loudness
 * (max of momentary and short-term, so a loud start is seen at once while a quiet
 * stretch must last seconds before it counts) with the target and moves the gain
 * toward it: down at up to cut speed, up at up to boost speed, within
 * [min_gain, max_gain]. Below the silence gate the gain is frozen. The gain is ramped
 * linearly per sample across the next block, so there is no zipper noise. */
#ifndef HR_DSP_AGC_H
#define HR_DSP_AGC_H

typedef struct hr_agc {
	int block_len;
	double target_lufs, max_gain_db, min_gain_db, gate_lufs;
	double cut_db_per_block, boost_db_per_block;
	double gain_db;          /* where the current ramp ends */
	double gain_lin, step;   /* per-sample ramp */
	int ramp_left;
	double min_seen_db, max_seen_db;
	int hold_blocks; /* blocks left in which the gain holds (hr_agc_hold) */
} hr_agc;

void hr_agc_init(hr_agc *a, int block_len);
void hr_agc_reset(hr_agc *a);
void hr_agc_configure(hr_agc *a, double target_lufs, double max_gain_db, double min_gain_db,
		      double cut_db_per_s, double boost_db_per_s, double gate_lufs);
/* Jump to a gain (clamped to the configured range), no ramp: a chain re-made for a new
 * sample rate continues where the old one was instead of starting at 0 dB. */
void hr_agc_set_gain(hr_agc *a, double gain_db);
/* At a block end. Loudness values at HR_LOUDNESS_FLOOR_LUFS mean "not measured yet". */
void hr_agc_block(hr_agc *a, double momentary_lufs, double short_term_lufs);
/* The gain holds for the next blocks: what the meter reads then was already dealt with (a
 * loud start the live bus cut while Layer A caught it). */
void hr_agc_hold(hr_agc *a, int blocks);
/* Multiply n samples of every channel by the ramped gain. */
void hr_agc_apply(hr_agc *a, float *const *ch, int channels, int n);

#endif
