/* Fixed-size history for gated measurements (integrated loudness, LRA).
 *
 * Blocks are binned by loudness in 0.05 LU steps from the absolute gate (-70 LUFS) up;
 * each bin keeps its count and the exact sum of its blocks' energies, so gated means are
 * exact and only the relative gate itself is quantised (to 0.05 LU). Constant memory and
 * O(1) per block, however long the programme. */
#ifndef HR_DSP_GATING_H
#define HR_DSP_GATING_H

#include <stdint.h>

#define HR_GATE_ABS_LUFS (-70.0)
#define HR_GATE_BIN_LU 0.05
#define HR_GATE_BINS 2400 /* -70 .. +50 LUFS; louder blocks land in the top bin */

typedef struct hr_gating {
	uint64_t total;
	uint32_t count[HR_GATE_BINS];
	double energy[HR_GATE_BINS];
} hr_gating;

void hr_gating_reset(hr_gating *g);
/* Adds one block (mean-square energy, channel weighted); blocks at or under -70 LUFS are dropped. */
void hr_gating_add(hr_gating *g, double energy);
/* Integrated loudness (gates -70 LUFS and -10 LU); HR_LOUDNESS_FLOOR_LUFS when nothing passes. */
double hr_gating_integrated(const hr_gating *g);
/* EBU Tech 3342 loudness range (gates -70 LUFS and -20 LU, 10th..95th percentile).
 * Returns 0 and *measured = 0 when no block passes. */
double hr_gating_range(const hr_gating *g, int *measured);

#endif
