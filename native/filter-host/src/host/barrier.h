/* The data-loop barrier: what the main thread waits on before it touches state the RT side
 * may be using. */
#ifndef HR_HOST_BARRIER_H
#define HR_HOST_BARRIER_H

#include <pipewire/pipewire.h>

/* Runs nothing on the data loop and waits for it: afterwards no callback uses old state. */
void hr_data_barrier(struct pw_loop *data_loop);

#endif
