/* The bus chain's parameters: one table (key, default, min, max, unit, meaning).
 * The TypeScript profile schema mirrors these rows; a test checks they agree. */
#ifndef HR_DSP_PARAMS_H
#define HR_DSP_PARAMS_H

typedef enum hr_param_id {
	HR_P_AGC_TARGET_LUFS,
	HR_P_AGC_MAX_GAIN_DB,
	HR_P_AGC_MIN_GAIN_DB,
	HR_P_AGC_CUT_SPEED,
	HR_P_AGC_BOOST_SPEED,
	HR_P_AGC_SILENCE_GATE_LUFS,
	HR_P_COMP_THRESHOLD_DB,
	HR_P_COMP_RATIO,
	HR_P_COMP_KNEE_DB,
	HR_P_COMP_ATTACK_MS,
	HR_P_COMP_RELEASE_MS,
	HR_P_LIM_CEILING_DBTP,
	HR_P_LIM_LOOKAHEAD_MS,
	HR_P_LIM_RELEASE_MS,
	HR_P__COUNT
} hr_param_id;

typedef struct hr_param_info {
	const char *key;
	double def, min, max;
	const char *unit;
	const char *doc;
} hr_param_info;

extern const hr_param_info hr_params[HR_P__COUNT];

/* Index of a dotted key, or HR_ENOKEY. */
int hr_param_find(const char *key);
/* 0 when value is finite and inside [min, max]; HR_ERANGE / HR_ENOKEY otherwise. */
int hr_param_check(int id, double value);
void hr_params_defaults(double values[HR_P__COUNT]);

#endif
