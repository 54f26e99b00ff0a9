/* The bus chain: input meter -> AGC -> compressor -> lookahead true-peak limiter ->
 * bypass crossfade -> output meter. One code path for the live filter-host and the
 * offline addon, so `headroom render` is exactly what the live bus does to a file.
 *
 * Processing is sample-sequential inside: the output does not depend on how the host
 * slices the stream into blocks. Non-finite input (NaN, Inf) or state never reaches the
 * output: the block comes out silent and the dynamic stages restart clean. */
#ifndef HR_DSP_CHAIN_H
#define HR_DSP_CHAIN_H

#include "agc.h"
#include "common.h"
#include "compressor.h"
#include "limiter.h"
#include "meter.h"
#include "params.h"

typedef struct hr_chain_stats {
	double agc_gain_db, agc_min_db, agc_max_db;
	double compressor_reduction_db, compressor_max_reduction_db;
	double limiter_reduction_db, limiter_max_reduction_db;
	uint64_t invalid_blocks;
	int latency_frames;
	int bypass;
} hr_chain_stats;

typedef struct hr_chain {
	int rate, channels;
	double params[HR_P__COUNT];
	hr_meter in_meter, out_meter;
	hr_agc agc;
	hr_compressor comp;
	hr_limiter lim;
	/* input delayed by the limiter's latency, for the bypass crossfade */
	float dry[HR_MAX_CHANNELS][HR_LIM_RING];
	unsigned dry_pos;
	float bypass_mix, bypass_target, bypass_step;
	/* a fade-in from silence after hr_chain_continue: samples left of fade_len */
	int fade_left, fade_len;
	uint64_t invalid_blocks;
} hr_chain;

/* weights as in hr_meter_init (NULL: defaults for the channel count). */
int hr_chain_init(hr_chain *ch, int rate, int channels, const double *weights);
void hr_chain_reset(hr_chain *ch);
/* HR_OK, HR_ENOKEY or HR_ERANGE (nothing changes on error). */
int hr_chain_set_param(hr_chain *ch, int id, double value);
void hr_chain_set_bypass(hr_chain *ch, int on);
/* A fresh chain that takes over from another (an engine restarted after a crash, a new
 * rate): the AGC, compressor and limiter start where that one was, and the input fades in
 * from silence over fade_ms (no click where the new audio starts). */
void hr_chain_continue(hr_chain *ch, double agc_gain_db, double comp_gr_db, double lim_gr_db, double fade_ms);
/* Interleaved frames; out may alias in. */
void hr_chain_process(hr_chain *ch, const float *in, float *out, int frames);
/* One buffer per channel (PipeWire's planar F32P); out[c] may alias in[c]. */
void hr_chain_process_planar(hr_chain *ch, const float *const *in, float *const *out, int frames);
void hr_chain_stats_get(const hr_chain *ch, hr_chain_stats *st);
/* The AGC holds its gain for the next blocks (hr_agc_hold). */
static inline void hr_chain_hold_agc(hr_chain *ch, int blocks) { hr_agc_hold(&ch->agc, blocks); }

#endif
