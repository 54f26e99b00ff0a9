/* Real-time discipline, checked: in builds with HR_RT_TRAP, an interposed allocator
 * aborts the process when malloc and friends are called while the calling thread is
 * inside a process callback (docs/architecture.md §7). In normal builds the markers cost nothing. */
#ifndef HR_HOST_RT_TRAP_H
#define HR_HOST_RT_TRAP_H

#ifdef HR_RT_TRAP
extern __thread int hr_rt_depth;
#define HR_RT_ENTER() (hr_rt_depth++)
#define HR_RT_LEAVE() (hr_rt_depth--)
/* Test-only switch (HEADROOM_RT_TEST_ALLOC=1): allocate inside a callback on purpose. */
void hr_rt_trap_selftest_maybe_alloc(void);
int hr_rt_trap_init(void);
#else
#define HR_RT_ENTER() ((void)0)
#define HR_RT_LEAVE() ((void)0)
static inline void hr_rt_trap_selftest_maybe_alloc(void) {}
static inline int hr_rt_trap_init(void) { return 0; }
#endif

#endif
