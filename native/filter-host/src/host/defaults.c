/* The user's choice of output, for the supervisor (main thread). Measured here (PipeWire
 * 0.3.65 / WirePlumber 0.4.13): in about half of the sessions a client bound to the
 * "default" metadata gets no property events at all for changes other clients make, while
 * a fresh bind always reads the current values. So every HR_DEFAULTS_TICKS meter ticks
 * (200 ms) the "default" metadata is bound afresh and what the last bind was told is
 * compared with the read before; a change (and the first read) is a DEFAULTS_CHANGED
 * event, and the supervisor reads the values itself. A bind on our own connection: no
 * process is started. */
#include <stdio.h>
#include <string.h>

#include "host.h"

#include <pipewire/extensions/metadata.h>

/* ticks between reads */
#define HR_DEFAULTS_TICKS 2

static const char *const KEYS[HR_DEFAULTS_KEYS] = { "default.configured.audio.sink", "default.audio.sink" };

static int on_property(void *data, uint32_t subject, const char *key, const char *type, const char *value)
{
	hr_host *h = data;
	h->defaults.got_any = 1;
	for (int k = 0; subject == 0 && key != NULL && k < HR_DEFAULTS_KEYS; k++)
		if (strcmp(key, KEYS[k]) == 0)
			snprintf(h->defaults.reading[k], sizeof(h->defaults.reading[k]), "%s", value ? value : "");
	return 0;
}

static const struct pw_metadata_events metadata_events = {
	PW_VERSION_METADATA_EVENTS,
	.property = on_property,
};

static void drop_fresh(hr_host *h)
{
	if (h->defaults.fresh == NULL)
		return;
	spa_hook_remove(&h->defaults.listener);
	pw_proxy_destroy(h->defaults.fresh);
	h->defaults.fresh = NULL;
}

/* What the last bind was told (by now: the metadata's owner, WirePlumber, answers a bind
 * after the server's own roundtrip) against the read before; an empty answer is no read. */
static void compare(hr_host *h)
{
	if (!h->defaults.got_any)
		return;
	/* the first read counts as a change: the supervisor read the metadata before this
	 * process did, and what changed in between would be missed */
	int changed = !h->defaults.read_once;
	for (int k = 0; k < HR_DEFAULTS_KEYS; k++) {
		changed |= strcmp(h->defaults.last[k], h->defaults.reading[k]) != 0;
		memcpy(h->defaults.last[k], h->defaults.reading[k], sizeof(h->defaults.last[k]));
	}
	if (changed)
		hr_send_event(h, HR_EVENT_DEFAULTS_CHANGED, 0, 0, 0, h->defaults.read_once ? "changed" : "first read");
	h->defaults.read_once = 1;
}

void hr_defaults_tick(hr_host *h)
{
	if (++h->defaults.ticks < HR_DEFAULTS_TICKS)
		return;
	h->defaults.ticks = 0;
	if (h->defaults.fresh != NULL)
		compare(h);
	drop_fresh(h);
	if (h->defaults.id == SPA_ID_INVALID)
		return;
	h->defaults.fresh = pw_registry_bind(h->registry, h->defaults.id, PW_TYPE_INTERFACE_Metadata, PW_VERSION_METADATA, 0);
	if (h->defaults.fresh == NULL)
		return;
	memset(h->defaults.reading, 0, sizeof(h->defaults.reading));
	h->defaults.got_any = 0;
	pw_metadata_add_listener((struct pw_metadata *)h->defaults.fresh, &h->defaults.listener, &metadata_events, h);
}

void hr_defaults_global(hr_host *h, uint32_t id, const struct spa_dict *props)
{
	const char *name = props ? spa_dict_lookup(props, PW_KEY_METADATA_NAME) : NULL;
	if (name != NULL && strcmp(name, "default") == 0)
		h->defaults.id = id;
}

void hr_defaults_global_remove(hr_host *h, uint32_t id)
{
	if (id != h->defaults.id)
		return;
	/* WirePlumber went; its next "default" metadata starts a new baseline */
	drop_fresh(h);
	h->defaults.id = SPA_ID_INVALID;
	h->defaults.read_once = 0;
}

void hr_defaults_init(hr_host *h)
{
	h->defaults.id = SPA_ID_INVALID;
}

void hr_defaults_fini(hr_host *h)
{
	drop_fresh(h);
}
