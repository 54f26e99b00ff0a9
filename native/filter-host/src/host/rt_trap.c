/* The allocation trap (built only with -DHR_RT_TRAP). The executable defines malloc,
 * calloc, realloc, free and the aligned variants; symbol interposition makes libpipewire
 * and libc use them too. Outside a callback they forward to glibc's __libc_* entry points;
 * inside one they write a fixed message with write(2) and abort. */
#ifdef HR_RT_TRAP
#include "rt_trap.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

__thread int hr_rt_depth;
static int selftest_alloc;
static _Atomic unsigned selftest_calls;

static void trap(const char *what)
{
	static const char head[] = "filter-host: allocation in a real-time callback (";
	static const char tail[] = "); aborting (allocation trap)\n";
	(void)!write(2, head, sizeof(head) - 1);
	(void)!write(2, what, strlen(what));
	(void)!write(2, tail, sizeof(tail) - 1);
	abort();
}

void *malloc(size_t n)
{
	if (hr_rt_depth > 0)
		trap("malloc");
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	if (hr_rt_depth > 0)
		trap("calloc");
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	if (hr_rt_depth > 0)
		trap("realloc");
	return __libc_realloc(p, n);
}

void free(void *p)
{
	if (p != NULL && hr_rt_depth > 0)
		trap("free");
	__libc_free(p);
}

void *memalign(size_t align, size_t n)
{
	if (hr_rt_depth > 0)
		trap("memalign");
	return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n) { return memalign(align, n); }

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p = memalign(align, n);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

int hr_rt_trap_init(void)
{
	const char *v = getenv("HEADROOM_RT_TEST_ALLOC");
	selftest_alloc = v != NULL && strcmp(v, "1") == 0;
	return 0;
}

void hr_rt_trap_selftest_maybe_alloc(void)
{
	/* after some ordinary callbacks, so the test also shows normal ones pass */
	if (selftest_alloc && atomic_fetch_add(&selftest_calls, 1) == 200) {
		void *volatile p = malloc(64);
		free(p);
	}
}
#endif
