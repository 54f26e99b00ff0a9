#include "barrier.h"

static int do_nothing(struct spa_loop *loop, bool async, uint32_t seq, const void *data, size_t size, void *user)
{
	return 0;
}

void hr_data_barrier(struct pw_loop *data_loop) { pw_loop_invoke(data_loop, do_nothing, 0, NULL, 0, true, NULL); }
