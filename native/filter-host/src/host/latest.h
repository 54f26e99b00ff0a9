/* "Latest value wins" hand-off from one writer thread to one reader thread: a triple
 * buffer over C11 atomics. The writer never waits and never sees the reader's slot; the
 * reader always gets the newest complete value. Used RT -> main for meter snapshots. */
#ifndef HR_HOST_LATEST_H
#define HR_HOST_LATEST_H

#include <stdatomic.h>
#include <string.h>

#define HR_LATEST_DIRTY 4u

/* Declares a triple buffer of T: three slots, the writer's and reader's indices, and the
 * shared middle index with a "new value" bit. */
#define HR_LATEST(T)                     \
	struct {                         \
		T slot[3];               \
		unsigned back, front;    \
		_Atomic unsigned middle; \
	}

#define hr_latest_init(l)                                       \
	do {                                                    \
		memset((l)->slot, 0, sizeof((l)->slot));        \
		(l)->back = 0;                                  \
		(l)->front = 1;                                 \
		atomic_store(&(l)->middle, 2u);                 \
	} while (0)

/* Writer: fill *hr_latest_back(l), then publish. */
#define hr_latest_back(l) (&(l)->slot[(l)->back])
#define hr_latest_publish(l) \
	((l)->back = atomic_exchange_explicit(&(l)->middle, (l)->back | HR_LATEST_DIRTY, memory_order_acq_rel) & 3u)

/* Reader: the newest published value (or the one it already had). */
#define hr_latest_read(l)                                                                            \
	((atomic_load_explicit(&(l)->middle, memory_order_relaxed) & HR_LATEST_DIRTY)                \
		 ? ((l)->front = atomic_exchange_explicit(&(l)->middle, (l)->front, memory_order_acq_rel) & 3u, \
		    &(l)->slot[(l)->front])                                                           \
		 : &(l)->slot[(l)->front])

#endif
