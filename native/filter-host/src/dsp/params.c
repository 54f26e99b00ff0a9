#include "params.h"
#include "common.h"
#include <string.h>

const hr_param_info hr_params[HR_P__COUNT] = {
	[HR_P_AGC_TARGET_LUFS] = { "agc.target_lufs", -18.0, -40.0, -5.0, "LUFS",
		"loudness the bus output is levelled to" },
	[HR_P_AGC_MAX_GAIN_DB] = { "agc.max_gain_db", 12.0, 0.0, 30.0, "dB",
		"most the AGC may boost a quiet programme" },
	[HR_P_AGC_MIN_GAIN_DB] = { "agc.min_gain_db", -30.0, -60.0, 0.0, "dB",
		"most the AGC may cut a loud programme (negative)" },
	[HR_P_AGC_CUT_SPEED] = { "agc.cut_speed_db_per_s", 20.0, 0.5, 100.0, "dB/s",
		"how fast the gain comes down when the programme gets louder" },
	[HR_P_AGC_BOOST_SPEED] = { "agc.boost_speed_db_per_s", 1.5, 0.05, 20.0, "dB/s",
		"how fast the gain rises when the programme gets quieter" },
	[HR_P_AGC_SILENCE_GATE_LUFS] = { "agc.silence_gate_lufs", -50.0, -90.0, -20.0, "LUFS",
		"below this momentary loudness the gain is frozen" },
	[HR_P_COMP_THRESHOLD_DB] = { "compressor.threshold_db", -10.0, -60.0, 0.0, "dBFS",
		"level above which the compressor reduces gain" },
	[HR_P_COMP_RATIO] = { "compressor.ratio", 4.0, 1.0, 20.0, ":1",
		"input dB above threshold per output dB" },
	[HR_P_COMP_KNEE_DB] = { "compressor.knee_db", 6.0, 0.0, 24.0, "dB",
		"width of the soft knee around the threshold" },
	[HR_P_COMP_ATTACK_MS] = { "compressor.attack_ms", 5.0, 0.1, 200.0, "ms",
		"time constant of gain reduction" },
	[HR_P_COMP_RELEASE_MS] = { "compressor.release_ms", 150.0, 5.0, 5000.0, "ms",
		"time constant of gain recovery" },
	[HR_P_LIM_CEILING_DBTP] = { "limiter.ceiling_dbtp", -1.0, -20.0, 0.0, "dBTP",
		"output true peak never exceeds this" },
	[HR_P_LIM_LOOKAHEAD_MS] = { "limiter.lookahead_ms", 5.0, 1.0, 20.0, "ms",
		"how far ahead the limiter looks (adds this much latency)" },
	[HR_P_LIM_RELEASE_MS] = { "limiter.release_ms", 60.0, 1.0, 2000.0, "ms",
		"time constant of limiter gain recovery" },
};

int hr_param_find(const char *key)
{
	for (int i = 0; i < HR_P__COUNT; i++)
		if (strcmp(hr_params[i].key, key) == 0)
			return i;
	return HR_ENOKEY;
}

int hr_param_check(int id, double value)
{
	if (id < 0 || id >= HR_P__COUNT)
		return HR_ENOKEY;
	if (!isfinite(value) || value < hr_params[id].min || value > hr_params[id].max)
		return HR_ERANGE;
	return HR_OK;
}

void hr_params_defaults(double values[HR_P__COUNT])
{
	for (int i = 0; i < HR_P__COUNT; i++)
		values[i] = hr_params[i].def;
}
