#include "gating.h"
#include "common.h"
#include <string.h>

void hr_gating_reset(hr_gating *g) { memset(g, 0, sizeof(*g)); }

static int bin_of(double lufs)
{
	double b = floor((lufs - HR_GATE_ABS_LUFS) / HR_GATE_BIN_LU);
	if (b < 0.0)
		return 0;
	if (b >= HR_GATE_BINS)
		return HR_GATE_BINS - 1;
	return (int)b;
}

void hr_gating_add(hr_gating *g, double energy)
{
	if (!(energy > 0.0) || !isfinite(energy))
		return;
	double l = -0.691 + 10.0 * log10(energy);
	if (l <= HR_GATE_ABS_LUFS)
		return;
	int b = bin_of(l);
	g->count[b]++;
	g->energy[b] += energy;
	g->total++;
}

/* First bin whose blocks lie above `rel_lu` under the mean of all blocks; -1 when empty. */
static int relative_gate_bin(const hr_gating *g, double rel_lu)
{
	if (g->total == 0)
		return -1;
	double sum = 0.0;
	for (int b = 0; b < HR_GATE_BINS; b++)
		sum += g->energy[b];
	double gate = -0.691 + 10.0 * log10(sum / (double)g->total) + rel_lu;
	/* a bin belongs above the gate when its centre does */
	int first = (int)ceil((gate - HR_GATE_ABS_LUFS) / HR_GATE_BIN_LU - 0.5);
	return first < 0 ? 0 : first;
}

double hr_gating_integrated(const hr_gating *g)
{
	int first = relative_gate_bin(g, -10.0);
	if (first < 0)
		return HR_LOUDNESS_FLOOR_LUFS;
	double sum = 0.0;
	uint64_t n = 0;
	for (int b = first; b < HR_GATE_BINS; b++) {
		sum += g->energy[b];
		n += g->count[b];
	}
	return n ? hr_energy_to_lufs(sum / (double)n) : HR_LOUDNESS_FLOOR_LUFS;
}

static double percentile_lufs(const hr_gating *g, int first, uint64_t n, double q)
{
	/* nearest rank over the gated blocks, reported at the bin centre */
	uint64_t rank = (uint64_t)floor(q * (double)(n - 1) + 0.5);
	uint64_t seen = 0;
	for (int b = first; b < HR_GATE_BINS; b++) {
		seen += g->count[b];
		if (seen > rank)
			return HR_GATE_ABS_LUFS + (b + 0.5) * HR_GATE_BIN_LU;
	}
	return HR_GATE_ABS_LUFS + (HR_GATE_BINS - 0.5) * HR_GATE_BIN_LU;
}

double hr_gating_range(const hr_gating *g, int *measured)
{
	*measured = 0;
	int first = relative_gate_bin(g, -20.0);
	if (first < 0)
		return 0.0;
	uint64_t n = 0;
	for (int b = first; b < HR_GATE_BINS; b++)
		n += g->count[b];
	if (n == 0)
		return 0.0;
	*measured = 1;
	return percentile_lufs(g, first, n, 0.95) - percentile_lufs(g, first, n, 0.10);
}
