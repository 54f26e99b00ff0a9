#include "compressor.h"
#include "common.h"
#include "params.h"

void hr_compressor_init(hr_compressor *c, int rate)
{
	c->rate = rate;
	const hr_param_info *d = hr_params; /* the defaults are the parameter table's (params.c) */
	hr_compressor_configure(c, d[HR_P_COMP_THRESHOLD_DB].def, d[HR_P_COMP_RATIO].def, d[HR_P_COMP_KNEE_DB].def,
				d[HR_P_COMP_ATTACK_MS].def, d[HR_P_COMP_RELEASE_MS].def);
	hr_compressor_reset(c);
}

void hr_compressor_reset(hr_compressor *c)
{
	c->env = 0.0f;
	c->gain = 1.0f;
	c->step = 0.0f;
	c->ctl_pos = 0;
	c->max_reduction_db = 0.0;
}

void hr_compressor_seed(hr_compressor *c, double gr_db)
{
	if (!(gr_db > 0.0))
		return;
	/* the curve rises with the level: bisect for the level that asks for gr_db */
	double lo = c->threshold_db - c->knee_db, hi = 60.0;
	if (hr_compressor_curve(c, hi) < gr_db)
		gr_db = hr_compressor_curve(c, hi);
	for (int i = 0; i < 60; i++) {
		double mid = 0.5 * (lo + hi);
		if (hr_compressor_curve(c, mid) < gr_db)
			lo = mid;
		else
			hi = mid;
	}
	c->env = (float)pow(10.0, hi / 20.0);
	c->gain = (float)pow(10.0, -gr_db / 20.0);
	c->step = 0.0f;
	c->ctl_pos = 0;
}

void hr_compressor_configure(hr_compressor *c, double threshold_db, double ratio, double knee_db,
			     double attack_ms, double release_ms)
{
	c->threshold_db = threshold_db;
	c->ratio = ratio;
	c->knee_db = knee_db;
	/* a hair under where the curve starts (log10 rounding), and never under the 1e-9
	 * floor of the detector */
	c->knee_start = fmax(pow(10.0, (threshold_db - knee_db / 2.0) / 20.0) * (1.0 - 1e-6), 1e-9);
	c->att = (float)(1.0 - exp(-1000.0 / (attack_ms * c->rate)));
	c->rel = (float)(1.0 - exp(-1000.0 / (release_ms * c->rate)));
}

double hr_compressor_curve(const hr_compressor *c, double x)
{
	double over = x - c->threshold_db, w = c->knee_db, slope = 1.0 / c->ratio - 1.0;
	if (2.0 * over <= -w)
		return 0.0;
	if (2.0 * fabs(over) < w) {
		double t = over + w / 2.0;
		return -slope * t * t / (2.0 * w);
	}
	return -slope * over;
}

void hr_compressor_process(hr_compressor *c, float *const *ch, int channels, int n)
{
	float env = c->env, gain = c->gain, step = c->step;
	const float att = c->att, rel = c->rel;
	int pos = c->ctl_pos;
	for (int i = 0; i < n; i++) {
		float level = 0.0f;
		for (int k = 0; k < channels; k++) {
			float a = fabsf(ch[k][i]);
			level = a > level ? a : level;
		}
		env += (level > env ? att : rel) * (level - env);
		gain += step;
		for (int k = 0; k < channels; k++)
			ch[k][i] *= gain;
		if (++pos == HR_COMP_CONTROL) {
			pos = 0;
			float target = 1.0f;
			if (env > c->knee_start) {
				double gr = hr_compressor_curve(c, 20.0 * log10(env));
				if (gr > c->max_reduction_db)
					c->max_reduction_db = gr;
				target = (float)pow(10.0, -gr / 20.0);
			}
			step = (target - gain) / HR_COMP_CONTROL;
		}
	}
	c->env = env;
	c->gain = gain;
	c->step = step;
	c->ctl_pos = pos;
}
