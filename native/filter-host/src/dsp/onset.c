#include "onset.h"
#include "common.h"

#define GATE_LUFS -70.0

void hr_onset_reset(hr_onset *o, const hr_meter *m)
{
	o->seen = m->subs_done;
	o->run = 0;
	o->heard = 0;
	o->gate_energy = hr_lufs_to_energy(GATE_LUFS);
}

double hr_onset_update(hr_onset *o, const hr_meter *m, int window_subs, int min_subs)
{
	uint64_t fresh = m->subs_done - o->seen;
	if (fresh > HR_METER_RING)
		fresh = HR_METER_RING;
	for (uint64_t k = fresh; k > 0; k--) { /* oldest first */
		if (hr_meter_sub_energy(m, (int)(k - 1)) >= o->gate_energy) {
			o->run++;
			if (o->heard < UINT32_MAX)
				o->heard++;
		} else
			o->run = 0;
	}
	o->seen = m->subs_done;
	return hr_onset_recent(o, m, window_subs, min_subs);
}

double hr_onset_recent(const hr_onset *o, const hr_meter *m, int subs, int min_subs)
{
	if (o->run < (uint32_t)min_subs)
		return HR_LOUDNESS_FLOOR_LUFS;
	int n = o->run < (uint32_t)subs ? (int)o->run : subs;
	double sum = 0.0;
	for (int k = 0; k < n; k++)
		sum += hr_meter_sub_energy(m, k);
	return hr_energy_to_lufs(sum / n);
}

double hr_onset_guard_gain(double level, double gain_db, double guard_lufs, double aim_lufs, double min_gain_db)
{
	if (!(level > guard_lufs))
		return gain_db;
	double g = gain_db - (level - aim_lufs);
	return g < min_gain_db ? min_gain_db : g;
}

double hr_onset_guard_next(const hr_guard_view *v, double first_over_lu, double check_over_lu, double min_gain_db)
{
	double g;
	if (v->cuts == 0) {
		g = hr_onset_guard_gain(v->fast, v->gain_db, v->guard_lufs, v->aim_lufs + first_over_lu, min_gain_db);
	} else if (v->cuts == 1 && v->checking) {
		g = hr_onset_guard_gain(v->recent, v->gain_db, v->aim_lufs + check_over_lu, v->aim_lufs, min_gain_db);
		/* what the first cut left over, no more: 20 ms of a transient, or heard before the
		 * first cut reached the graph, is not a level to cut on whole */
		g = g > v->gain_db - first_over_lu ? g : v->gain_db - first_over_lu;
	} else {
		g = hr_onset_guard_gain(v->fast, v->gain_db, v->guard_lufs, v->aim_lufs, min_gain_db);
	}
	return g < v->gain_db ? g : v->gain_db; /* only ever a cut */
}

double hr_onset_release_gain(double recent, double heard_db, double gain_db, double level_lufs, double ceiling_db, double min_step_db)
{
	if (!(recent > HR_LOUDNESS_FLOOR_LUFS))
		return gain_db; /* no sound: nothing to go by */
	double g = heard_db + (level_lufs - recent);
	if (g > ceiling_db)
		g = ceiling_db;
	return g - gain_db >= min_step_db ? g : gain_db;
}
