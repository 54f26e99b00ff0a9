/* A sound's start, measured fast: from a meter's 5 ms sub-blocks, the loudness of the newest
 * sub-blocks with sound in a row, over at most a short window (100 ms). 20 ms after an app
 * starts its level is known, where the 400 ms momentary reading still averages in the
 * silence before it. And the onset guard's law: the gain that brings a start that is too
 * loud down to an aim. Pure, no allocation, nothing that costs in the update. */
#ifndef HR_DSP_ONSET_H
#define HR_DSP_ONSET_H

#include <stdint.h>

#include "meter.h"

typedef struct hr_onset {
	uint64_t seen;       /* the meter's sub-blocks taken in */
	uint32_t run;        /* sub-blocks with sound in a row, up to the newest */
	uint32_t heard;      /* sub-blocks with sound since the reset (saturates) */
	double gate_energy;  /* a sub-block under this (-70 LUFS) is silence */
} hr_onset;

/* Starts from the meter's state now: what it measured before does not count. */
void hr_onset_reset(hr_onset *o, const hr_meter *m);
/* Takes in the sub-blocks the meter finished since the last call. Returns the loudness
 * (LUFS) of the newest min(run, window_subs) sub-blocks, or HR_LOUDNESS_FLOOR_LUFS while
 * fewer than min_subs in a row have sound. */
double hr_onset_update(hr_onset *o, const hr_meter *m, int window_subs, int min_subs);
/* The loudness (LUFS) of the newest min(run, subs) sub-blocks with sound in a row, as of the
 * last update; HR_LOUDNESS_FLOOR_LUFS while fewer than min_subs in a row have sound. */
double hr_onset_recent(const hr_onset *o, const hr_meter *m, int subs, int min_subs);
/* The guard: a level (LUFS, heard at gain_db) over guard_lufs gets the gain that puts it
 * at aim_lufs, never below min_gain_db; any other level keeps gain_db. */
double hr_onset_guard_gain(double level, double gain_db, double guard_lufs, double aim_lufs, double min_gain_db);

/* The guard's next cut of a young start, in stages. A first cut (cuts == 0) on the onset
 * reading, over the guard, leaves the start first_over_lu over the aim: the newest 20-100 ms
 * are the loudest part of a sound that decays (a ping, a struck note), whose loudness cut to
 * the aim from there would end some 6 LU under it. While the first cut is checked (checking:
 * it is heard now), a start whose newest 20 ms are still check_over_lu over the aim did not
 * decay and is cut to the aim, by at most first_over_lu. Any later cut: the onset reading
 * over the guard, to the aim. Returns the gain (dB), never above gain_db (nothing to cut). */
typedef struct hr_guard_view {
	double fast, recent;   /* LUFS: the onset reading (<= 100 ms), the newest 20 ms */
	double gain_db;        /* in force now */
	double guard_lufs, aim_lufs;
	uint32_t cuts;         /* the guard's cuts of this start so far */
	int checking;          /* within the check's window after the first cut */
} hr_guard_view;
double hr_onset_guard_next(const hr_guard_view *v, double first_over_lu, double check_over_lu, double min_gain_db);

/* The release of a start the guard cut that then decayed (a ping, a struck note: cut on its
 * loudest 20 ms, the rest would end far under the aim): the gain that brings the newest 20 ms
 * (recent, LUFS) to level_lufs, reckoned from heard_db, the lowest gain the reading may have
 * been made at (a volume reaches the tap a few cycles after it is set: from the lowest, a
 * rise falls short rather than overshoots and a cut goes deep enough). A rise stops at
 * ceiling_db and is taken only from min_step_db up (each is a write to the stream). Returns
 * the gain: gain_db when nothing is to move. */
double hr_onset_release_gain(double recent, double heard_db, double gain_db, double level_lufs, double ceiling_db, double min_step_db);

#endif
