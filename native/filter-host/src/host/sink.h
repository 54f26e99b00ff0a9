/* The headroom-processed sink: created when absent, never destroyed by the filter-host (it
 * lingers, object.linger: it must outlive a crash, apps stay linked to it). */
#ifndef HR_HOST_SINK_H
#define HR_HOST_SINK_H

#include <pipewire/pipewire.h>

/* The proxy of a new sink (destroy it on exit: the node stays), or NULL with errno set. */
struct pw_proxy *hr_sink_create(struct pw_core *core);

#endif
