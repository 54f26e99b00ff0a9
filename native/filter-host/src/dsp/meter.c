#include "meter.h"
#include <string.h>

void hr_meter_default_weights(int channels, double *w)
{
	for (int c = 0; c < channels; c++)
		w[c] = 1.0;
	/* surround channels count 1.41 (+1.5 dB); LFE is left out */
	if (channels == 5) {
		w[3] = w[4] = 1.41;
	} else if (channels == 6) {
		w[3] = 0.0;
		w[4] = w[5] = 1.41;
	} else if (channels == 4) {
		w[2] = w[3] = 1.41;
	}
}

/* Largest divisor of the 100 ms block that is at most 5 ms: the sub-block. */
static void choose_sub_blocks(hr_meter *m)
{
	int fivems = m->rate / 200;
	if (m->rate % 10 == 0) {
		int block = m->rate / 10;
		for (int d = fivems; d >= m->rate / 400 && d > 0; d--) {
			if (block % d == 0) {
				m->sub_len = d;
				m->subs_per_block = block / d;
				return;
			}
		}
	}
	/* odd rates: ~5 ms sub-blocks, 20 per (approximately 100 ms) block */
	m->sub_len = (m->rate + 100) / 200;
	m->subs_per_block = 20;
}

int hr_meter_init(hr_meter *m, int rate, int channels, const double *weights, unsigned flags)
{
	if (rate < HR_MIN_RATE || rate > HR_MAX_RATE || channels < 1 || channels > HR_MAX_CHANNELS)
		return HR_EINVAL;
	memset(m, 0, sizeof(*m));
	m->rate = rate;
	m->channels = channels;
	m->flags = flags;
	if (weights) {
		for (int c = 0; c < channels; c++) {
			if (!(weights[c] >= 0.0 && weights[c] <= 10.0))
				return HR_EINVAL;
			m->weight[c] = weights[c];
		}
	} else {
		hr_meter_default_weights(channels, m->weight);
	}
	hr_kweight_init(&m->kw, rate);
	choose_sub_blocks(m);
	m->m_subs = 4 * m->subs_per_block;
	m->s_subs = 30 * m->subs_per_block;
	/* 4x oversampling, 16-tap phases: flat to 0.4 fs, well inside Tech 3341's +0.2/-0.4 dB */
	int r = hr_truepeak_init(&m->tp, channels, 4, 16, 5.0);
	if (r < 0)
		return r;
	hr_meter_reset(m);
	return HR_OK;
}

void hr_meter_reset(hr_meter *m)
{
	memset(m->ks, 0, sizeof(m->ks));
	m->sub_pos = 0;
	memset(m->sub_acc, 0, sizeof(m->sub_acc));
	memset(m->ring, 0, sizeof(m->ring));
	m->ring_pos = 0;
	m->subs_done = 0;
	m->m_sum = m->s_sum = 0.0;
	m->momentary = m->short_term = 0.0;
	m->momentary_max = m->short_term_max = 0.0;
	m->sample_peak = m->true_peak = 0.0f;
	m->tick_sample_peak = m->tick_true_peak = 0.0f;
	hr_truepeak_reset(&m->tp);
	hr_gating_reset(&m->integrated_hist);
	hr_gating_reset(&m->range_hist);
}

static double ring_at(const hr_meter *m, int back)
{
	int i = m->ring_pos - 1 - back;
	while (i < 0)
		i += HR_METER_RING;
	return m->ring[i];
}

/* Sum of the newest count sub-blocks, newest first. */
static double ring_sum(const hr_meter *m, int count)
{
	double s = 0.0;
	for (int k = 0, i = m->ring_pos - 1; k < count; k++, i--) {
		if (i < 0)
			i += HR_METER_RING;
		s += m->ring[i];
	}
	return s;
}

/* Returns 1 when the sub-block also closed a 100 ms block. */
static int finish_sub_block(hr_meter *m)
{
	double e = 0.0;
	for (int c = 0; c < m->channels; c++) {
		e += m->weight[c] * m->sub_acc[c];
		m->sub_acc[c] = 0.0;
	}
	m->sub_pos = 0;
	double m_leaving = ring_at(m, m->m_subs - 1), s_leaving = ring_at(m, m->s_subs - 1);
	m->ring[m->ring_pos] = e;
	m->ring_pos = (m->ring_pos + 1) % HR_METER_RING;
	m->subs_done++;

	m->m_sum += e - m_leaving;
	m->s_sum += e - s_leaving;
	int block_end = m->subs_done % (uint64_t)m->subs_per_block == 0;
	/* exact recomputes, once a block, keep the running sums from drifting */
	if (block_end || m->m_sum < 0.0)
		m->m_sum = ring_sum(m, m->m_subs);
	if (block_end || m->s_sum < 0.0)
		m->s_sum = ring_sum(m, m->s_subs);
	m->momentary = m->m_sum / ((double)m->m_subs * m->sub_len);
	m->short_term = m->s_sum / ((double)m->s_subs * m->sub_len);
	if (m->subs_done >= (uint64_t)m->m_subs && m->momentary > m->momentary_max)
		m->momentary_max = m->momentary;
	if (m->subs_done >= (uint64_t)m->s_subs && m->short_term > m->short_term_max)
		m->short_term_max = m->short_term;
	if (block_end && (m->flags & HR_METER_GATED)) {
		if (m->subs_done >= (uint64_t)m->m_subs)
			hr_gating_add(&m->integrated_hist, m->momentary);
		if (m->subs_done >= (uint64_t)m->s_subs)
			hr_gating_add(&m->range_hist, m->short_term);
	}
	return block_end;
}

static void track_true_peak(hr_meter *m, const float *const *ch, int n)
{
	for (int off = 0; off < n; off += HR_CHUNK) {
		int len = n - off < HR_CHUNK ? n - off : HR_CHUNK;
		const float *run[HR_MAX_CHANNELS];
		for (int c = 0; c < m->channels; c++)
			run[c] = ch[c] + off;
		float p = hr_truepeak_run_max(&m->tp, run, len, m->tick_true_peak);
		if (p > m->tick_true_peak)
			m->tick_true_peak = p;
	}
	if (m->tick_true_peak > m->true_peak)
		m->true_peak = m->tick_true_peak;
}

/* After a run's K-weighting: its peaks, its true peak, and the sub-block it ends. Returns
 * the 100 ms blocks completed (0 or 1). */
static int account_run(hr_meter *m, const float *const *ch, int done, int run)
{
	float peak = m->tick_sample_peak;
	for (int c = 0; c < m->channels; c++) {
		float a = hr_abs_max(ch[c] + done, run);
		peak = a > peak ? a : peak;
	}
	m->tick_sample_peak = peak;
	if (peak > m->sample_peak)
		m->sample_peak = peak;
	if (m->flags & HR_METER_TRUE_PEAK) {
		const float *run_ch[HR_MAX_CHANNELS];
		for (int c = 0; c < m->channels; c++)
			run_ch[c] = ch[c] + done;
		track_true_peak(m, run_ch, run);
	}
	m->sub_pos += run;
	return m->sub_pos == m->sub_len ? finish_sub_block(m) : 0;
}

/* The meter's channel pair c, d (d = c for an odd last channel, which runs twice). */
static int pair_end(const hr_meter *m, int c) { return c + 1 < m->channels ? c + 1 : c; }

int hr_meter_process(hr_meter *m, const float *const *ch, int n)
{
	int blocks = 0, done = 0;
	while (done < n) {
		int run = n - done;
		if (run > m->sub_len - m->sub_pos)
			run = m->sub_len - m->sub_pos;
		for (int c = 0; c < m->channels; c += 2) {
			int d = pair_end(m, c);
			hr_kstate *st[2] = { &m->ks[c], &m->ks[d] };
			const float *x[2] = { ch[c] + done, ch[d] + done };
			double sq[2] = { m->sub_acc[c], m->sub_acc[d] };
			hr_kweight_run2(&m->kw, st, x, run, sq);
			m->sub_acc[d] = sq[1];
			m->sub_acc[c] = sq[0];
		}
		blocks += account_run(m, ch, done, run);
		done += run;
	}
	return blocks;
}

int hr_meter_process2(hr_meter *a, const float *const *xa, hr_meter *b, const float *const *xb, int n, int *blocks_b)
{
	if (a->channels != b->channels || a->rate != b->rate) {
		*blocks_b = hr_meter_process(b, xb, n);
		return hr_meter_process(a, xa, n);
	}
	int blocks = 0, done = 0;
	*blocks_b = 0;
	while (done < n) {
		int run = n - done;
		if (run > a->sub_len - a->sub_pos)
			run = a->sub_len - a->sub_pos;
		if (run > b->sub_len - b->sub_pos)
			run = b->sub_len - b->sub_pos;
		for (int c = 0; c < a->channels; c += 2) {
			int d = pair_end(a, c);
			hr_kstate *st[4] = { &a->ks[c], &a->ks[d], &b->ks[c], &b->ks[d] };
			const float *x[4] = { xa[c] + done, xa[d] + done, xb[c] + done, xb[d] + done };
			double sq[4] = { a->sub_acc[c], a->sub_acc[d], b->sub_acc[c], b->sub_acc[d] };
			hr_kweight_run4(&a->kw, st, x, run, sq);
			a->sub_acc[d] = sq[1];
			a->sub_acc[c] = sq[0];
			b->sub_acc[d] = sq[3];
			b->sub_acc[c] = sq[2];
		}
		blocks += account_run(a, xa, done, run);
		*blocks_b += account_run(b, xb, done, run);
		done += run;
	}
	return blocks;
}

void hr_meter_flush(hr_meter *m)
{
	if (!(m->flags & HR_METER_TRUE_PEAK))
		return;
	float zeros[HR_TP_MAX_TAPS] = { 0 };
	const float *ch[HR_MAX_CHANNELS];
	for (int c = 0; c < m->channels; c++)
		ch[c] = zeros;
	track_true_peak(m, ch, m->tp.delay);
}

double hr_meter_sub_energy(const hr_meter *m, int back) { return ring_at(m, back) / m->sub_len; }
double hr_meter_momentary(const hr_meter *m) { return hr_energy_to_lufs(m->momentary); }
double hr_meter_short_term(const hr_meter *m) { return hr_energy_to_lufs(m->short_term); }
double hr_meter_momentary_max(const hr_meter *m) { return hr_energy_to_lufs(m->momentary_max); }
double hr_meter_short_term_max(const hr_meter *m) { return hr_energy_to_lufs(m->short_term_max); }
double hr_meter_integrated(const hr_meter *m) { return hr_gating_integrated(&m->integrated_hist); }
double hr_meter_range(const hr_meter *m, int *measured) { return hr_gating_range(&m->range_hist, measured); }
double hr_meter_sample_peak(const hr_meter *m) { return m->sample_peak; }

double hr_meter_peak(const hr_meter *m)
{
	return m->true_peak > m->sample_peak ? m->true_peak : m->sample_peak;
}

float hr_meter_take_tick_peak(hr_meter *m)
{
	float p = m->tick_true_peak > m->tick_sample_peak ? m->tick_true_peak : m->tick_sample_peak;
	m->tick_true_peak = m->tick_sample_peak = 0.0f;
	return p;
}
