/* What the bus and the taps share about their streams. */
#ifndef HR_HOST_STREAM_H
#define HR_HOST_STREAM_H

#include <pipewire/pipewire.h>
#include <spa/pod/builder.h>

/* F32 stereo format params, interleaved or planar; rate 0: whatever the graph runs at. */
const struct spa_pod *hr_audio_format(struct spa_pod_builder *b, uint32_t rate, int planar);
/* Runs nothing on the data loop and waits for it: afterwards no callback uses old state. */
void hr_data_barrier(struct pw_loop *data_loop);

#endif
