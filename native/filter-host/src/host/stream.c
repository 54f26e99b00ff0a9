#include <spa/param/audio/format-utils.h>

#include "host.h"
#include "stream.h"

const struct spa_pod *hr_audio_format(struct spa_pod_builder *b, uint32_t rate, int planar)
{
	struct spa_audio_info_raw info = {
		.format = planar ? SPA_AUDIO_FORMAT_F32P : SPA_AUDIO_FORMAT_F32,
		.channels = HR_BUS_CHANNELS,
		.rate = rate,
		.position = { SPA_AUDIO_CHANNEL_FL, SPA_AUDIO_CHANNEL_FR },
	};
	return spa_format_audio_raw_build(b, SPA_PARAM_EnumFormat, &info);
}

static int do_nothing(struct spa_loop *loop, bool async, uint32_t seq, const void *data, size_t size, void *user)
{
	return 0;
}

void hr_data_barrier(struct pw_loop *data_loop) { pw_loop_invoke(data_loop, do_nothing, 0, NULL, 0, true, NULL); }
