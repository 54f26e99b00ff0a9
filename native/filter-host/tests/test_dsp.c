/* DSP properties the rest of headroom relies on. Standards compliance of the meter
 * (Tech 3341/3342) runs through the N-API addon in test/native/. */
#include "dsp/chain.h"
#include "dsp/onset.h"
#include "harness.h"
#include "signals.h"
#include <stdlib.h>
#include <string.h>

static double db(double lin) { return 20.0 * log10(lin); }

static void test_kweight_matches_bs1770_table(void)
{
	CASE("K-weighting at 48 kHz equals the BS.1770-4 table");
	hr_kweight k;
	hr_kweight_init(&k, 48000);
	CHECK_NEAR(k.shelf.b0, 1.53512485958697, 1e-8);
	CHECK_NEAR(k.shelf.b1, -2.69169618940638, 1e-8);
	CHECK_NEAR(k.shelf.b2, 1.19839281085285, 1e-8);
	CHECK_NEAR(k.shelf.a1, -1.69065929318241, 1e-8);
	CHECK_NEAR(k.shelf.a2, 0.73248077421585, 1e-8);
	CHECK_NEAR(k.hpf.a1, -1.99004745483398, 1e-8);
	CHECK_NEAR(k.hpf.a2, 0.99007225036621, 1e-8);
}

/* The detector's shortcuts (skipped runs, the near-taps test, the blocked filter) against
 * the filter written out plainly with the same coefficients, in the same order: exact
 * wherever the output may exceed the threshold, under it elsewhere. */
static void test_truepeak_matches_direct_filter(void)
{
	const int taps_of[] = { 96, 16 };
	for (int t = 0; t < 2; t++) {
		static hr_truepeak tp;
		hr_truepeak_init(&tp, 2, 4, taps_of[t], 5.0);
		const long frames = 48000;
		const float thr = 0.5f;
		float *x = malloc(sizeof(float) * 2 * frames);
		double level = 0.1;
		for (long i = 0; i < frames; i++) {
			if (i % 3000 == 0) /* levels from far under to over the threshold */
				level = pow(10.0, (rng_uniform() * 30.0 - 24.0) / 20.0);
			double tone = (i / 3000) % 4 == 1 ? sin(i * M_PI * 0.93) : 0.0; /* near-Nyquist overs */
			x[2 * i] = (float)(level * (rng_uniform() + tone));
			x[2 * i + 1] = (float)(level * rng_uniform());
		}
		/* the worst case of a phase, x[n-k] = a sign(coef[k]): a peak of a * sum |coef|,
		 * at levels around where the shortcuts' bounds are tight */
		for (long end = 24000 + tp.taps; end < frames; end += tp.taps + 29) {
			int p = (int)(end % (tp.factor - 1));
			float a = (float)(thr / tp.bound * (0.9 + 0.25 * (rng_uniform() + 1.0)));
			for (int k = 0; k < tp.taps; k++)
				x[2 * (end - k)] = tp.coef[p][k] < 0.0f ? -a : a;
		}
		long wrong = 0, over = 0, runs_wrong = 0;
		for (long off = 0, r = 0; off < frames; r++) {
			int n = 1 + (int)((r * 37) % HR_CHUNK);
			if (n > frames - off)
				n = (int)(frames - off);
			float ch[2][HR_CHUNK], peak[HR_CHUNK], want_max = 0.0f;
			const float *src[2] = { ch[0], ch[1] };
			for (int i = 0; i < n; i++)
				ch[0][i] = x[2 * (off + i)], ch[1][i] = x[2 * (off + i) + 1];
			float got_max = (t == 1) ? hr_truepeak_run_max(&tp, src, n, thr) : 0.0f;
			if (t == 0)
				hr_truepeak_run(&tp, src, n, peak, thr);
			for (int i = 0; i < n; i++) {
				long at = off + i;
				float want = 0.0f;
				for (int c = 0; c < 2; c++) {
					long mid = at - tp.delay;
					float a = mid >= 0 ? fabsf(x[2 * mid + c]) : 0.0f;
					want = a > want ? a : want;
					for (int p = 0; p < tp.factor - 1; p++) {
						float acc = 0.0f;
						for (int k = 0; k < tp.taps; k++)
							acc += tp.coef[p][k] * (at - k >= 0 ? x[2 * (at - k) + c] : 0.0f);
						want = fabsf(acc) > want ? fabsf(acc) : want;
					}
				}
				want_max = want > want_max ? want : want_max;
				over += want > thr;
				if (t == 0)
					wrong += want > thr ? peak[i] != want : peak[i] > thr;
			}
			if (t == 1)
				runs_wrong += want_max > thr ? got_max != want_max : got_max > thr;
			off += n;
		}
		char name[96];
		snprintf(name, sizeof name, "true peak (%d taps) equals the direct filter above the threshold", taps_of[t]);
		CASE(name);
		CHECK(wrong == 0 && runs_wrong == 0 && over > 100, "%ld samples, %ld runs differ (%ld over)", wrong, runs_wrong, over);
		free(x);
	}
}

/* Runs the limiter alone over a signal; returns the output's reference true peak in dBTP. */
static double limit_alone(const float *in, long frames, int rate, double ceiling)
{
	static hr_limiter lim;
	hr_limiter_init(&lim, rate, 2);
	hr_limiter_configure(&lim, ceiling, 5.0, 60.0);
	float *out = malloc(sizeof(float) * 2 * (frames + lim.latency));
	float l[HR_CHUNK], r[HR_CHUNK];
	long total = frames + lim.latency;
	for (long off = 0; off < total; off += HR_CHUNK) {
		int n = total - off < HR_CHUNK ? (int)(total - off) : HR_CHUNK;
		for (int i = 0; i < n; i++) {
			long j = off + i;
			l[i] = j < frames ? in[2 * j] : 0.0f;
			r[i] = j < frames ? in[2 * j + 1] : 0.0f;
		}
		const float *src[2] = { l, r };
		float *dst[2] = { l, r };
		hr_limiter_process(&lim, src, dst, n);
		for (int i = 0; i < n; i++) {
			out[2 * (off + i)] = l[i];
			out[2 * (off + i) + 1] = r[i];
		}
	}
	double tp = reference_true_peak(out, total, 2);
	free(out);
	return db(tp);
}

static void test_limiter_ceiling(void)
{
	const int rates[] = { 48000, 44100 };
	for (int ri = 0; ri < 2; ri++) {
		int rate = rates[ri];
		long n = rate / 4;
		float *x = calloc((size_t)n * 2, sizeof(float));
		char name[128];
#define EXPECT_UNDER(label)                                                           \
	do {                                                                          \
		snprintf(name, sizeof name, "limiter %s at %d Hz stays under -1 dBTP", label, rate); \
		CASE(name);                                                           \
		double tp = limit_alone(x, n, rate, -1.0);                            \
		CHECK(tp <= -1.0 + 0.01, "reference true peak %.3f dBTP", tp);         \
	} while (0)

		for (long i = 0; i < n; i++) /* full-scale square, 997 Hz */
			x[2 * i] = x[2 * i + 1] = fmod(i * 997.0 / rate, 1.0) < 0.5 ? 1.0f : -1.0f;
		EXPECT_UNDER("full-scale square");
		sine(x, n, 2, rate, rate / 4.0, db(1.41), 45.0);
		EXPECT_UNDER("fs/4 sine at 45 degrees, 1.41 FS");
		for (long i = 0; i < n; i++) /* +40 dBFS noise bursts in quiet noise */
			x[2 * i] = x[2 * i + 1] = (float)(rng_uniform() * ((i / 2400) % 3 == 1 ? 100.0 : 0.01));
		EXPECT_UNDER("+40 dBFS bursts");
		memset(x, 0, sizeof(float) * 2 * n);
		for (long i = 100; i < n; i += 997)
			x[2 * i] = x[2 * i + 1] = (i / 997) % 2 ? 100.0f : -1.0f;
		EXPECT_UNDER("impulses");
		for (long i = 0; i < n; i++)
			x[2 * i] = (float)(10.0 * rng_uniform()), x[2 * i + 1] = (float)(10.0 * rng_uniform());
		EXPECT_UNDER("+20 dBFS noise");
		if (rate == 44100) {
			const double tones[] = { 19000.0, 20000.0, 20500.0 };
			for (int t = 0; t < 3; t++)
				for (int ph = 0; ph < 90; ph += 30) {
					sine(x, n, 2, rate, tones[t], 6.0, ph);
					char label[64];
					snprintf(label, sizeof label, "%.0f Hz +6 dBFS phase %d", tones[t], ph);
					EXPECT_UNDER(label);
				}
		}
		for (int trial = 0; trial < 4; trial++) { /* random: noise with random level jumps */
			double level = 1.0;
			for (long i = 0; i < n; i++) {
				if (i % 1200 == 0)
					level = pow(10.0, (rng_uniform() * 30.0 + 5.0) / 20.0);
				x[2 * i] = (float)(level * rng_uniform());
				x[2 * i + 1] = (float)(level * rng_uniform());
			}
			EXPECT_UNDER("random level jumps");
		}
		free(x);
	}
}

static void test_non_finite_input(void)
{
	static hr_chain ch;
	hr_chain_init(&ch, 48000, 2, NULL);
	float block[2 * 1024], out[2 * 1024];
	const float poison[] = { NAN, INFINITY, -INFINITY };
	for (int k = 0; k < 3; k++) {
		CASE(k == 0 ? "NaN in -> silence, then recovery" : k == 1 ? "+Inf in -> silence, then recovery" : "-Inf in -> silence, then recovery");
		sine(block, 1024, 2, 48000, 440, -6, 0);
		hr_chain_process(&ch, block, out, 1024);
		block[2 * 500] = poison[k];
		hr_chain_process(&ch, block, out, 1024);
		double e = 0.0;
		int finite = 1;
		for (int i = 0; i < 2048; i++) {
			finite &= isfinite(out[i]);
			e += out[i] * out[i];
		}
		CHECK(finite && e == 0.0, "poisoned block: finite=%d energy=%g", finite, e);
		sine(block, 1024, 2, 48000, 440, -6, 0);
		hr_chain_process(&ch, block, out, 1024);
		e = 0.0;
		finite = 1;
		for (int i = 0; i < 2048; i++) {
			finite &= isfinite(out[i]);
			e += out[i] * out[i];
		}
		CHECK(finite && e > 1.0, "next block: finite=%d energy=%g", finite, e);
	}
	CASE("denormals in -> finite out");
	for (int i = 0; i < 2048; i++)
		block[i] = (i & 1 ? -1.0f : 1.0f) * 1e-41f;
	hr_chain_process(&ch, block, out, 1024); /* flushes what the delay line still held */
	hr_chain_process(&ch, block, out, 1024);
	int finite = 1;
	for (int i = 0; i < 2048; i++)
		finite &= isfinite(out[i]) && fabsf(out[i]) < 1e-3f;
	CHECK(finite, "denormal block produced a non-finite or loud sample");
}

/* Output loudness over time for a programme of (seconds, level dBFS) 1 kHz sine segments. */
typedef struct { double seconds, dbfs; } segment;

typedef struct {
	int ticks;
	double momentary[2000], short_term[2000], gain_db[2000];
} trace;

static void run_programme(const segment *seg, int nseg, trace *tr)
{
	static hr_chain ch;
	static hr_meter out_meter;
	const int rate = 48000, block = 4800;
	hr_chain_init(&ch, rate, 2, NULL);
	hr_meter_init(&out_meter, rate, 2, NULL, 0);
	float buf[2 * 4800], l[4800], r[4800];
	double phase = 0.0;
	tr->ticks = 0;
	for (int s = 0; s < nseg; s++) {
		double a = pow(10.0, seg[s].dbfs / 20.0);
		long blocks = (long)(seg[s].seconds * 10.0 + 0.5);
		for (long b = 0; b < blocks; b++) {
			for (int i = 0; i < block; i++) {
				float v = (float)(a * sin(phase));
				phase += 2.0 * M_PI * 1000.0 / rate;
				buf[2 * i] = buf[2 * i + 1] = v;
			}
			phase = fmod(phase, 2.0 * M_PI);
			hr_chain_process(&ch, buf, buf, block);
			for (int i = 0; i < block; i++)
				l[i] = buf[2 * i], r[i] = buf[2 * i + 1];
			const float *chs[2] = { l, r };
			hr_meter_process(&out_meter, chs, block);
			tr->momentary[tr->ticks] = hr_meter_momentary(&out_meter);
			tr->short_term[tr->ticks] = hr_meter_short_term(&out_meter);
			tr->gain_db[tr->ticks] = ch.agc.gain_db;
			tr->ticks++;
		}
	}
}

/* The AGC's ramp: each sample one step further, the last exactly at the new gain, then that
 * gain held; whatever the block sizes. */
static void test_agc_ramp(void)
{
	CASE("agc ramp: a step a sample, landing exactly, then held, in blocks of any size");
	const int ramp = 100, frames = 300;
	const int sizes[] = { 300, 1, 64, 37 };
	for (int s = 0; s < 4; s++) {
		hr_agc a;
		hr_agc_init(&a, 4800);
		a.gain_db = -6.0;
		a.gain_lin = 1.0;
		a.step = (hr_db_to_lin(-6.0) - 1.0) / ramp;
		a.ramp_left = ramp;
		float x[300];
		for (int i = 0; i < frames; i++)
			x[i] = 1.0f;
		for (int off = 0; off < frames; off += sizes[s]) {
			float *ch[1] = { x + off };
			hr_agc_apply(&a, ch, 1, frames - off < sizes[s] ? frames - off : sizes[s]);
		}
		double g = 1.0;
		int bad = 0;
		for (int i = 0; i < frames; i++) {
			if (i < ramp - 1)
				g += a.step;
			else
				g = hr_db_to_lin(-6.0);
			bad += x[i] != (float)g;
		}
		CHECK(bad == 0 && a.ramp_left == 0, "blocks of %d: %d samples off the ramp", sizes[s], bad);
	}
}

static void test_agc_steps(void)
{
	static trace tr;
	const double target = -18.0;
	/* 0-20 s at -25, 20-40 s at -5, 40-70 s at -25 */
	const segment prog[] = { { 20, -25 }, { 20, -5 }, { 30, -25 } };
	run_programme(prog, 3, &tr);

	CASE("AGC settles on a quiet programme");
	CHECK_NEAR(tr.momentary[199], target, 1.0);
	CASE("AGC: short-term never more than 6 LU over target at the loud step");
	double worst = -200.0;
	for (int t = 200; t < 400; t++)
		worst = tr.short_term[t] > worst ? tr.short_term[t] : worst;
	CHECK(worst <= target + 6.0, "max short-term after step %.2f LUFS", worst);
	CASE("AGC: cut within 3 s of the loud step");
	for (int t = 230; t < 400; t++)
		CHECK_NEAR(tr.momentary[t], target, 1.0);
	CASE("AGC: boost back within 20 s of the quiet step");
	for (int t = 600; t < 700; t++)
		CHECK_NEAR(tr.momentary[t], target, 1.0);
	fprintf(stderr, "  agc step: max S after step %.2f LUFS (target %.1f)\n", worst, target);
	for (int t = 200; t < 700; t++)
		if (fabs(tr.momentary[t] - target) <= 1.0) {
			fprintf(stderr, "  agc step: cut settled (M within 1 LU) %.1f s after the loud step\n", (t - 199) / 10.0);
			break;
		}
	for (int t = 400; t < 700; t++)
		if (fabs(tr.momentary[t] - target) <= 1.0 && fabs(tr.momentary[t + 1] - target) <= 1.0) {
			int stays = 1;
			for (int u = t; u < 700; u++)
				stays &= fabs(tr.momentary[u] - target) <= 1.0;
			if (stays) {
				fprintf(stderr, "  agc step: boost settled %.1f s after the quiet step\n", (t - 399) / 10.0);
				break;
			}
		}
}

static void test_agc_silence_and_caps(void)
{
	static trace tr;
	const segment prog[] = { { 10, -20 }, { 60, -75 } };
	run_programme(prog, 2, &tr);
	CASE("AGC: 60 s of near-silence raises the gain by at most 1 dB");
	double at_end_of_programme = tr.gain_db[99], peak = -100.0;
	for (int t = 100; t < tr.ticks; t++)
		peak = tr.gain_db[t] > peak ? tr.gain_db[t] : peak;
	CHECK(peak - at_end_of_programme <= 1.0, "gain rose from %.2f to %.2f dB", at_end_of_programme, peak);

	const segment quiet[] = { { 40, -45 } };
	run_programme(quiet, 1, &tr);
	CASE("AGC: gain never exceeds agc.max_gain_db");
	double most = -100.0;
	for (int t = 0; t < tr.ticks; t++)
		most = tr.gain_db[t] > most ? tr.gain_db[t] : most;
	CHECK(most <= hr_params[HR_P_AGC_MAX_GAIN_DB].def + 1e-9, "gain reached %.3f dB", most);
	CHECK_NEAR(most, hr_params[HR_P_AGC_MAX_GAIN_DB].def, 1e-6);
}

static void test_block_size_invariance(void)
{
	const int rate = 48000, frames = rate * 8;
	float *in = malloc(sizeof(float) * 2 * frames), *ref = malloc(sizeof(float) * 2 * frames),
	      *out = malloc(sizeof(float) * 2 * frames);
	/* noise with level jumps and loud bursts: every stage moves */
	double level = 0.1;
	for (int i = 0; i < frames; i++) {
		if (i % 12000 == 0) /* every fourth segment at +20 dBFS: past what AGC and compressor absorb */
			level = (i / 12000) % 4 == 3 ? 10.0 : pow(10.0, (rng_uniform() * 25.0 - 20.0) / 20.0);
		in[2 * i] = (float)(level * rng_uniform());
		in[2 * i + 1] = (float)(level * rng_uniform());
	}
	static hr_chain ch;
	const int sizes[] = { 4096, 1, 7, 64, 1024 };
	for (int s = 0; s < 5; s++) {
		hr_chain_init(&ch, rate, 2, NULL);
		float *dst = s == 0 ? ref : out;
		for (int off = 0; off < frames; off += sizes[s]) {
			int n = frames - off < sizes[s] ? frames - off : sizes[s];
			hr_chain_process(&ch, in + 2 * off, dst + 2 * off, n);
		}
		if (s > 0) {
			char name[64];
			snprintf(name, sizeof name, "blocks of %d give the same output as blocks of 4096", sizes[s]);
			CASE(name);
			long diff = 0;
			for (long i = 0; i < 2L * frames; i++)
				diff += ref[i] != out[i];
			CHECK(diff == 0, "%ld samples differ", diff);
		}
	}
	CASE("planar (PipeWire F32P) in place gives the same output as interleaved");
	{
		float *l = malloc(sizeof(float) * frames), *r = malloc(sizeof(float) * frames);
		for (int i = 0; i < frames; i++) {
			l[i] = in[2 * i];
			r[i] = in[2 * i + 1];
		}
		hr_chain_init(&ch, rate, 2, NULL);
		for (int off = 0; off < frames; off += 1024) {
			const float *pin[2] = { l + off, r + off };
			float *pout[2] = { l + off, r + off };
			hr_chain_process_planar(&ch, pin, pout, frames - off < 1024 ? frames - off : 1024);
		}
		long diff = 0;
		for (int i = 0; i < frames; i++)
			diff += l[i] != ref[2 * i] || r[i] != ref[2 * i + 1];
		CHECK(diff == 0, "%ld frames differ", diff);
		free(l);
		free(r);
	}
	CASE("the invariance signal exercised the limiter");
	hr_chain_stats st;
	hr_chain_stats_get(&ch, &st);
	CHECK(st.limiter_max_reduction_db > 1.0 && st.compressor_max_reduction_db > 1.0,
	      "limiter %.2f dB, compressor %.2f dB", st.limiter_max_reduction_db, st.compressor_max_reduction_db);
	free(in);
	free(ref);
	free(out);
}

static void test_bypass_is_transparent(void)
{
	CASE("bypass passes audio unchanged (delayed by the latency)");
	static hr_chain ch;
	hr_chain_init(&ch, 48000, 2, NULL);
	hr_chain_set_bypass(&ch, 1);
	hr_chain_set_bypass(&ch, 1);
	ch.bypass_mix = 1.0f;
	const int frames = 48000;
	float *in = malloc(sizeof(float) * 2 * frames), *out = malloc(sizeof(float) * 2 * frames);
	for (int i = 0; i < 2 * frames; i++)
		in[i] = (float)(0.9 * rng_uniform());
	hr_chain_process(&ch, in, out, frames);
	int lat = ch.lim.latency;
	double maxdiff = 0.0;
	for (int i = lat; i < frames; i++)
		for (int c = 0; c < 2; c++)
			maxdiff = fmax(maxdiff, fabs(out[2 * i + c] - in[2 * (i - lat) + c]));
	CHECK(maxdiff == 0.0, "max difference %g", maxdiff);
	free(in);
	free(out);
}

static void test_params(void)
{
	CASE("parameters: range checked, unknown keys refused, nothing changes on error");
	static hr_chain ch;
	hr_chain_init(&ch, 48000, 2, NULL);
	CHECK(hr_param_find("agc.target_lufs") == HR_P_AGC_TARGET_LUFS, "find");
	CHECK(hr_param_find("agc.nope") == HR_ENOKEY, "unknown key");
	CHECK(hr_chain_set_param(&ch, HR_P_AGC_TARGET_LUFS, 3.0) == HR_ERANGE, "out of range accepted");
	CHECK(hr_chain_set_param(&ch, HR_P_AGC_TARGET_LUFS, NAN) == HR_ERANGE, "NaN accepted");
	CHECK(ch.params[HR_P_AGC_TARGET_LUFS] == -18.0, "value changed on error");
	CHECK(hr_chain_set_param(&ch, HR_P_AGC_TARGET_LUFS, -14.0) == HR_OK, "valid refused");
	CHECK(ch.agc.target_lufs == -14.0, "not applied");
}

/* Peak of channel 0 over frames [from, to) of an interleaved stereo buffer, in dBFS. */
static double peak_db(const float *x, long from, long to)
{
	float m = 0.0f;
	for (long i = from; i < to; i++)
		m = fabsf(x[2 * i]) > m ? fabsf(x[2 * i]) : m;
	return m > 0.0f ? db(m) : -200.0;
}

static void test_continue_where_the_last_chain_was(void)
{
	CASE("a chain that takes over holds the compressor's and limiter's reduction and fades in");
	static hr_chain old, fresh, cont;
	const long n = 48000;
	float *in = malloc(sizeof(float) * 2 * n), *out = malloc(sizeof(float) * 2 * n);
	sine(in, n, 2, 48000, 1000, -6, 0);
	hr_chain_init(&old, 48000, 2, NULL);
	hr_chain_set_param(&old, HR_P_COMP_THRESHOLD_DB, -30.0);
	hr_chain_process(&old, in, out, (int)n); /* one second: the compressor settled */
	hr_chain_stats st;
	hr_chain_stats_get(&old, &st);
	double steady = peak_db(out, n - 4800, n);
	CHECK(st.compressor_reduction_db > 6.0, "the old chain compresses: %.2f dB", st.compressor_reduction_db);
	for (int k = 0; k < 2; k++) {
		hr_chain *c = k == 0 ? &fresh : &cont;
		hr_chain_init(c, 48000, 2, NULL);
		hr_chain_set_param(c, HR_P_COMP_THRESHOLD_DB, -30.0);
		if (k == 1)
			hr_chain_continue(c, st.agc_gain_db, st.compressor_reduction_db, st.limiter_reduction_db, 5.0);
		else
			hr_agc_set_gain(&c->agc, st.agc_gain_db);
		hr_chain_process(c, in, out, 4800);
		int lat = c->lim.latency;
		double first = peak_db(out, lat, lat + 2400); /* the first 50 ms of sound */
		if (k == 0)
			CHECK(first > steady + 3.0, "a fresh chain lets the held-back level through: %.2f over", first - steady);
		else {
			CHECK(first <= steady + 0.5, "a continuing chain starts at the steady level: %.2f over", first - steady);
			CHECK(peak_db(out, lat, lat + 24) < steady - 15.0, "the first 0.5 ms are faded in (%.1f dB under)", steady - peak_db(out, lat, lat + 24));
		}
	}
	free(in);
	free(out);
}

/* An app's start, fed in graph-cycle-sized blocks: the onset reading knows its level 20 ms
 * in (where the 400 ms momentary still averages in the silence before it), forgets silence,
 * and the guard's gain brings it to the aim. */
static void test_onset(void)
{
	const int rate = 48000, q = 1024;
	static float buf[2 * 48000 * 2], l[48000 * 2], r[48000 * 2];
	hr_meter m;
	hr_onset o;
	hr_meter_init(&m, rate, 2, NULL, 0);
	hr_onset_reset(&o, &m);
	/* 0.5 s of silence, then a 1 kHz sine at -6 dBFS (both channels): about -6 LUFS */
	memset(buf, 0, sizeof(buf));
	sine(buf + 2 * rate / 2, rate + rate / 2, 2, rate, 1000.0, -6.0, 0.0);
	for (int i = 0; i < 2 * rate; i++) {
		l[i] = buf[2 * i];
		r[i] = buf[2 * i + 1];
	}
	double at_20ms = HR_LOUDNESS_FLOOR_LUFS, at_100ms = 0, before = 0, momentary_20ms = 0;
	for (int pos = 0; pos + q <= 2 * rate; pos += q) {
		const float *ch[2] = { l + pos, r + pos };
		hr_meter_process(&m, ch, q);
		double fast = hr_onset_update(&o, &m, 20, 4);
		int since = pos + q - rate / 2; /* frames of sound so far */
		if (since <= 0)
			before = fast;
		if (since > 0 && since <= q + 960 && at_20ms <= HR_LOUDNESS_FLOOR_LUFS && fast > HR_LOUDNESS_FLOOR_LUFS) {
			at_20ms = fast;
			momentary_20ms = hr_meter_momentary(&m);
		}
		if (since >= 4800 && since < 4800 + q)
			at_100ms = fast;
	}
	CASE("onset: silence reads as no measurement");
	CHECK(before <= HR_LOUDNESS_FLOOR_LUFS, "%.1f LUFS before the start", before);
	CASE("onset: the start's level is known within a graph cycle of 20 ms of sound, within 1 LU");
	CHECK(fabs(at_20ms - -6.0) <= 1.0, "%.2f LUFS (momentary %.2f)", at_20ms, momentary_20ms);
	CHECK(momentary_20ms < -12.0, "momentary then %.2f LUFS: it still averages in the silence", momentary_20ms);
	CHECK(fabs(at_100ms - -6.0) <= 0.5, "%.2f LUFS after 100 ms", at_100ms);
	CASE("onset: 2 s of sound heard, counted in 5 ms sub-blocks");
	CHECK(o.heard >= 295 && o.heard <= 300, "heard %u sub-blocks", o.heard);

	CASE("onset guard: cuts a start over the guard to the aim, leaves the rest, never below the floor");
	CHECK_NEAR(hr_onset_guard_gain(-6.0, 0.0, -16.0, -18.0, -60.0), -12.0, 1e-12);
	CHECK_NEAR(hr_onset_guard_gain(-10.0, -4.0, -16.0, -18.0, -60.0), -12.0, 1e-12);
	CHECK_NEAR(hr_onset_guard_gain(-17.0, 3.0, -16.0, -18.0, -60.0), 3.0, 1e-12);
	CHECK_NEAR(hr_onset_guard_gain(HR_LOUDNESS_FLOOR_LUFS, 3.0, -16.0, -18.0, -60.0), 3.0, 1e-12);
	CHECK_NEAR(hr_onset_guard_gain(40.0, 0.0, -16.0, -18.0, -20.0), -20.0, 1e-12);

	CASE("onset guard in stages: a first cut leaves a start over the aim, a start that stays loud is cut to the aim");
	/* guard -16, aim -18, first cut 2 LU over the aim, checked at 1 LU over it */
	hr_guard_view v = { .fast = -6.0, .recent = -5.0, .gain_db = 0.0, .guard_lufs = -16.0, .aim_lufs = -18.0 };
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), -10.0, 1e-12); /* -6 -> -16 */
	v.fast = -16.5; /* under the guard: no first cut */
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), 0.0, 1e-12);
	v.guard_lufs = -17.0; /* over a guard under the first aim: never a raise */
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), 0.0, 1e-12);
	/* checked: its newest 20 ms still at -16 (2 LU over the aim) -> cut to the aim */
	v = (hr_guard_view){ .fast = -16.0, .recent = -16.0, .gain_db = -10.0, .guard_lufs = -16.0, .aim_lufs = -18.0, .cuts = 1, .checking = 1 };
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), -12.0, 1e-12);
	/* ... at -16.5: cut by what is over the aim */
	v.recent = -16.5;
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), -11.5, 1e-12);
	/* ... at -8 (heard before the first cut reached the graph, or a transient): by at most
	 * what the first cut left over */
	v.recent = -8.0;
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), -12.0, 1e-12);
	/* ... silent now: kept */
	v.recent = HR_LOUDNESS_FLOOR_LUFS;
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), -10.0, 1e-12);
	/* ... decayed to -17.5 (a ping): kept, though its onset reading still holds its start */
	v.recent = -17.5;
	v.fast = -14.0;
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), -10.0, 1e-12);
	/* the check over: the onset reading against the guard again, to the aim */
	v.checking = 0;
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), -14.0, 1e-12);
	v.fast = -16.5;
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -60.0), -10.0, 1e-12);
	/* a later cut is never checked, and none goes under the floor */
	v = (hr_guard_view){ .fast = 30.0, .recent = 30.0, .gain_db = -10.0, .guard_lufs = -16.0, .aim_lufs = -18.0, .cuts = 2, .checking = 1 };
	CHECK_NEAR(hr_onset_guard_next(&v, 2.0, 1.0, -40.0), -40.0, 1e-12);

	CASE("onset release: a cut start that decays is followed up to the level, never past the ceiling");
	/* heard at -15 dB, newest 20 ms at -22 LUFS, held at -16.5: up 5.5 dB */
	CHECK_NEAR(hr_onset_release_gain(-22.0, -15.0, -15.0, -16.5, 0.0, 0.5), -9.5, 1e-12);
	/* reckoned from the lowest gain still heard (-15), not the gain in force (-12) */
	CHECK_NEAR(hr_onset_release_gain(-22.0, -15.0, -12.0, -16.5, 0.0, 0.5), -9.5, 1e-12);
	/* never past what the supervisor set */
	CHECK_NEAR(hr_onset_release_gain(-40.0, -15.0, -15.0, -16.5, -3.0, 0.5), -3.0, 1e-12);
	/* a step under the smallest is not taken; nor is a fall; silence moves nothing */
	CHECK_NEAR(hr_onset_release_gain(-16.8, -15.0, -15.0, -16.5, 0.0, 0.5), -15.0, 1e-12);
	CHECK_NEAR(hr_onset_release_gain(-10.0, -15.0, -15.0, -16.5, 0.0, 0.5), -15.0, 1e-12);
	CHECK_NEAR(hr_onset_release_gain(HR_LOUDNESS_FLOOR_LUFS, -15.0, -15.0, -16.5, 0.0, 0.5), -15.0, 1e-12);
}

/* Two meters fed side by side (hr_meter_process2: the chain's input and output, two taps)
 * read exactly what each reads fed alone, whatever their channels, chunks and sub-block
 * positions. */
static void test_meter_pairs(void)
{
	const int rate = 48000, frames = rate * 2;
	const int channel_counts[] = { 1, 2, 3, 6 };
	const int chunks[] = { 1024, 7, 256 };
	float *x = malloc(sizeof(float) * 6 * frames), *y = malloc(sizeof(float) * 6 * frames);
	for (long i = 0; i < 6L * frames; i++) {
		x[i] = (float)(0.3 * rng_uniform() * (1.0 + sin(i * 1e-4)));
		y[i] = (float)(0.05 * rng_uniform());
	}
	static hr_meter a1, b1, a2, b2;
	for (int k = 0; k < 4; k++) {
		int nc = channel_counts[k], chunk = chunks[k % 3], lead = 37 * (k + 1); /* b is lead frames ahead */
		unsigned flags = HR_METER_GATED | HR_METER_TRUE_PEAK;
		hr_meter_init(&a1, rate, nc, NULL, flags);
		hr_meter_init(&b1, rate, nc, NULL, flags);
		hr_meter_init(&a2, rate, nc, NULL, flags);
		hr_meter_init(&b2, rate, nc, NULL, flags);
		const float *cy[8], *cx[8];
		for (int c = 0; c < nc; c++)
			cy[c] = y + (long)c * frames;
		hr_meter_process(&b1, cy, lead);
		hr_meter_process(&b2, cy, lead);
		int blocks1 = 0, blocks2 = 0, bblocks1 = 0, bblocks2 = 0;
		for (int off = 0; off + chunk <= frames - lead; off += chunk) {
			for (int c = 0; c < nc; c++) {
				cx[c] = x + (long)c * frames + off;
				cy[c] = y + (long)c * frames + lead + off;
			}
			blocks1 += hr_meter_process(&a1, cx, chunk);
			bblocks1 += hr_meter_process(&b1, cy, chunk);
			int bb;
			blocks2 += hr_meter_process2(&a2, cx, &b2, cy, chunk, &bb);
			bblocks2 += bb;
		}
		char name[96];
		snprintf(name, sizeof name, "meters in pairs read as alone: %d channel(s), chunks of %d, %d frames apart", nc, chunk, lead);
		CASE(name);
		CHECK(blocks1 == blocks2 && bblocks1 == bblocks2 && blocks1 > 10, "blocks %d/%d and %d/%d", blocks1, blocks2, bblocks1, bblocks2);
		int same = 1;
		for (int back = 0; back < 40; back++)
			same &= hr_meter_sub_energy(&a1, back) == hr_meter_sub_energy(&a2, back) &&
				hr_meter_sub_energy(&b1, back) == hr_meter_sub_energy(&b2, back);
		CHECK(same, "sub-block energies differ");
		CHECK(hr_meter_momentary(&a1) == hr_meter_momentary(&a2) && hr_meter_short_term(&b1) == hr_meter_short_term(&b2) &&
			      hr_meter_integrated(&a1) == hr_meter_integrated(&a2) && hr_meter_integrated(&b1) == hr_meter_integrated(&b2),
		      "momentary %.6f/%.6f, integrated %.6f/%.6f", hr_meter_momentary(&a1), hr_meter_momentary(&a2),
		      hr_meter_integrated(&b1), hr_meter_integrated(&b2));
		CHECK(hr_meter_peak(&a1) == hr_meter_peak(&a2) && hr_meter_peak(&b1) == hr_meter_peak(&b2) &&
			      hr_meter_sample_peak(&b1) == hr_meter_sample_peak(&b2),
		      "peaks %.6f/%.6f and %.6f/%.6f", hr_meter_peak(&a1), hr_meter_peak(&a2), hr_meter_peak(&b1), hr_meter_peak(&b2));
	}
	CASE("meters at two rates fed as a pair each read as alone");
	hr_meter_init(&a1, 48000, 2, NULL, 0);
	hr_meter_init(&a2, 48000, 2, NULL, 0);
	hr_meter_init(&b1, 44100, 2, NULL, 0);
	hr_meter_init(&b2, 44100, 2, NULL, 0);
	const float *cx[2] = { x, x + frames }, *cy[2] = { y, y + frames };
	int bb;
	hr_meter_process(&a1, cx, 4800);
	hr_meter_process(&b1, cy, 4800);
	hr_meter_process2(&a2, cx, &b2, cy, 4800, &bb);
	CHECK(hr_meter_momentary(&a1) == hr_meter_momentary(&a2) && hr_meter_momentary(&b1) == hr_meter_momentary(&b2) && bb == 1,
	      "momentary %.6f/%.6f, b's blocks %d", hr_meter_momentary(&b1), hr_meter_momentary(&b2), bb);
	free(x);
	free(y);
}

int main(void)
{
	test_onset();
	test_kweight_matches_bs1770_table();
	test_meter_pairs();
	test_agc_ramp();
	test_params();
	test_non_finite_input();
	test_bypass_is_transparent();
	test_block_size_invariance();
	test_agc_steps();
	test_agc_silence_and_caps();
	test_truepeak_matches_direct_filter();
	test_limiter_ceiling();
	test_continue_where_the_last_chain_was();
	return hr_test_summary();
}
