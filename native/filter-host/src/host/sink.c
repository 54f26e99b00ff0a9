#include <errno.h>

#include "host.h"
#include "sink.h"

struct pw_proxy *hr_sink_create(struct pw_core *core)
{
	struct pw_properties *props = pw_properties_new(
		PW_KEY_FACTORY_NAME, "support.null-audio-sink", PW_KEY_NODE_NAME, HR_SINK_NAME,
		PW_KEY_NODE_DESCRIPTION, HR_SINK_DESCRIPTION, PW_KEY_MEDIA_CLASS, "Audio/Sink",
		PW_KEY_OBJECT_LINGER, "true", "audio.position", "[ FL FR ]", "monitor.channel-volumes", "false",
		"headroom.node", "bus-sink", HR_NO_RESTORE,
		/* never suspended by WirePlumber: 0.4.13's suspend timer outlives the node it was
		 * started for and crashes WirePlumber 5 s after the sink is destroyed on stop */
		"session.suspend-timeout-seconds", "0",
		/* WirePlumber 0.4's restore-stream saves the state of every Audio/... node without
		 * device routes (device.routes absent or "0"): a sink with routes of its own is not
		 * remembered (0.5 reads state.restore-props above; nothing else reads this key) */
		"device.routes", "1", NULL);
	if (props == NULL)
		return NULL;
	struct pw_proxy *proxy = pw_core_create_object(core, "adapter", PW_TYPE_INTERFACE_Node, PW_VERSION_NODE,
						       &props->dict, 0);
	int err = errno;
	pw_properties_free(props);
	errno = err;
	return proxy;
}
