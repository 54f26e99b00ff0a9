/* Minimal test harness: named cases, value assertions that print what they saw. */
#ifndef HR_TEST_HARNESS_H
#define HR_TEST_HARNESS_H
#include <math.h>
#include <stdio.h>

static int hr_failures, hr_checks;
static const char *hr_case = "";

#define CASE(name) (hr_case = (name))
#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		hr_checks++;                                                    \
		if (!(cond)) {                                                  \
			hr_failures++;                                          \
			fprintf(stderr, "FAIL %s (%s:%d): ", hr_case, __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)
#define CHECK_NEAR(got, want, tol) \
	CHECK(fabs((double)(got) - (double)(want)) <= (tol), "%s = %.4f, want %.4f ± %.3f", #got, (double)(got), (double)(want), (double)(tol))
#define CHECK_RANGE(got, lo, hi) \
	CHECK((got) >= (lo) && (got) <= (hi), "%s = %.4f, want [%.3f, %.3f]", #got, (double)(got), (double)(lo), (double)(hi))

static int hr_test_summary(void)
{
	fprintf(stderr, "%d checks, %d failed\n", hr_checks, hr_failures);
	return hr_failures ? 1 : 0;
}
#endif
