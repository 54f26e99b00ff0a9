/* Feed-forward compressor with a soft knee. A linked peak detector (max over channels)
 * is smoothed with attack/release; every 16 samples the static curve turns it into a
 * target gain, approached linearly over the next 16 samples (control rate keeps the
 * log/exp off the per-sample path). */
#ifndef HR_DSP_COMPRESSOR_H
#define HR_DSP_COMPRESSOR_H

#include <math.h>

#define HR_COMP_CONTROL 16

typedef struct hr_compressor {
	int rate;
	double threshold_db, ratio, knee_db;
	double knee_start;   /* linear detector level surely under the knee: no reduction */
	float att, rel;      /* per-sample detector coefficients */
	float env;           /* detector level, linear */
	float gain, step;    /* applied gain and its per-sample ramp */
	int ctl_pos;
	double max_reduction_db; /* since reset */
} hr_compressor;

void hr_compressor_init(hr_compressor *c, int rate);
void hr_compressor_reset(hr_compressor *c);
/* Starts as if it had been holding gr_db of reduction (a restarted engine continues where
 * its predecessor was): the gain at once, the detector at the level that asks for it. */
void hr_compressor_seed(hr_compressor *c, double gr_db);
void hr_compressor_configure(hr_compressor *c, double threshold_db, double ratio, double knee_db,
			     double attack_ms, double release_ms);
/* Gain reduction in dB (>= 0) the static curve asks for at a detector level in dBFS. */
double hr_compressor_curve(const hr_compressor *c, double level_db);
void hr_compressor_process(hr_compressor *c, float *const *ch, int channels, int n);
static inline double hr_compressor_reduction_db(const hr_compressor *c)
{
	return c->gain < 1.0f ? -20.0 * log10((double)c->gain) : 0.0;
}

#endif
