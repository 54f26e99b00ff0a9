/* Wire codec tests. Frames encoded here must equal the committed golden files that the
 * TypeScript tests decode; the golden command files written by the TypeScript encoder
 * must decode here to the same values. HR_WIRE_REGEN=1 rewrites the frame files.
 *
 *   test-wire GOLDEN_DIR */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "wire.h"

static const char *golden_dir;

static size_t read_file(const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", golden_dir, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void golden_frame(const char *name, const uint8_t *bytes, size_t n)
{
	char path[512];
	uint8_t want[1024];
	CASE(name);
	if (getenv("HR_WIRE_REGEN")) {
		snprintf(path, sizeof(path), "%s/%s", golden_dir, name);
		FILE *f = fopen(path, "wb");
		CHECK(f != NULL, "cannot write %s", path);
		if (f) {
			fwrite(bytes, 1, n, f);
			fclose(f);
		}
		return;
	}
	size_t got = read_file(name, want, sizeof(want));
	CHECK(got == n && memcmp(want, bytes, n) == 0, "encoded %zu bytes differ from the golden file (%zu bytes)", n, got);
}

static void test_golden_frames(void)
{
	uint8_t b[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
	hr_frame_hello hello = { 1, 4242, 14, 32 };
	golden_frame("frame-hello.bin", b, hr_wire_encode_hello(b, 0, &hello));
	hr_frame_ready ready = { 48000, 1024, 2, 287, 41, 49, 52, 43, 90, 0x10000005Bull };
	golden_frame("frame-ready.bin", b, hr_wire_encode_ready(b, 1, &ready));
	hr_frame_meter meter = { -23.5f, -24.25f, -200.0f, -18.0f, -18.5f, -19.75f, 2.5f, -1.25f, -5.5f, -18.0f,
				 1.5f, 0.75f, 48000, 1024, 3, 2,
				 { 123456789012ull, 987654321ull, 4321, 3, 6001, 120000ull } };
	golden_frame("frame-meter.bin", b, hr_wire_encode_meter(b, 2, &meter));
	hr_frame_tap tap = { 7, 77, 0x10000002Aull, -30.5f, -31.25f, -12.0f, 2, -9.5f, 3 };
	golden_frame("frame-tap.bin", b, hr_wire_encode_tap(b, 3, &tap));
	hr_frame_ack ack = { 17, HR_CMD_SET_PARAM };
	golden_frame("frame-ack.bin", b, hr_wire_encode_ack(b, 4, &ack));
	hr_frame_error err = { 18, HR_CMD_SET_PARAM, HR_WERR_NOKEY, "unknown parameter 'agc.nope'" };
	golden_frame("frame-error.bin", b, hr_wire_encode_error(b, 5, &err));
	hr_frame_event ev = { HR_EVENT_TAP_READY, 7, 77, 0x10000002Bull, "headroom-tap-7" };
	golden_frame("frame-event.bin", b, hr_wire_encode_event(b, 6, &ev));
}

static hr_wire_result decode_file(const char *name, hr_command *c)
{
	uint8_t buf[1024];
	size_t n = read_file(name, buf, sizeof(buf));
	CASE(name);
	CHECK(n > 0, "golden file missing");
	hr_wire_result r = hr_wire_decode_command(buf, n, c);
	CHECK(r.status == 0 && r.consumed == n, "status %d consumed %zu of %zu", r.status, r.consumed, n);
	return r;
}

static void test_golden_commands(void)
{
	hr_command c;
	decode_file("command-set-param.bin", &c);
	CHECK(c.h.type == HR_CMD_SET_PARAM && c.h.seq == 1, "type %x seq %u", c.h.type, c.h.seq);
	CHECK(strcmp(c.u.set_param.key, "agc.target_lufs") == 0 && c.u.set_param.value == -16.5, "key %s value %g",
	      c.u.set_param.key, c.u.set_param.value);
	decode_file("command-bypass.bin", &c);
	CHECK(c.h.type == HR_CMD_BYPASS && c.h.seq == 2 && c.u.bypass.on == 1, "bypass %u", c.u.bypass.on);
	decode_file("command-set-target.bin", &c);
	CHECK(c.h.seq == 3 && strcmp(c.u.set_target.name, "alsa_output.pci-0000_00_1f.3.analog-stereo") == 0, "name %s",
	      c.u.set_target.name);
	decode_file("command-add-tap.bin", &c);
	CHECK(c.h.seq == 4 && c.u.add_tap.tap_id == 7 && c.u.add_tap.stream_serial == 0x10000002Aull, "tap %u serial %llu",
	      c.u.add_tap.tap_id, (unsigned long long)c.u.add_tap.stream_serial);
	decode_file("command-remove-tap.bin", &c);
	CHECK(c.h.seq == 5 && c.u.remove_tap.tap_id == 7, "tap %u", c.u.remove_tap.tap_id);
	decode_file("command-shutdown.bin", &c);
	CHECK(c.h.seq == 7 && c.h.type == HR_CMD_SHUTDOWN, "type %x", c.h.type);
	decode_file("command-set-tap-gain.bin", &c);
	const hr_tap_gain *g = &c.u.set_tap_gain;
	CHECK(c.h.seq == 8 && c.h.type == HR_CMD_SET_TAP_GAIN && g->tap_id == 7 && g->seen_steps == 2 && g->gain_db == -12.5f &&
		      g->guard_lufs == -16.0f && g->aim_lufs == -18.0f,
	      "tap %u steps %u gain %g guard %g aim %g", g->tap_id, g->seen_steps, g->gain_db, g->guard_lufs, g->aim_lufs);
}

static size_t encode_param(uint8_t *b, const char *key, double value)
{
	hr_command c = { .h = { HR_WIRE_VERSION, HR_CMD_SET_PARAM, 56, 9 } };
	snprintf(c.u.set_param.key, sizeof(c.u.set_param.key), "%s", key);
	c.u.set_param.value = value;
	return hr_wire_encode_command(b, &c);
}

static void test_decoder_rejects(void)
{
	uint8_t b[2048];
	hr_command c;
	hr_wire_result r;

	CASE("partial input asks for more");
	size_t n = encode_param(b, "agc.target_lufs", -20);
	for (size_t k = 0; k < n; k++) {
		r = hr_wire_decode_command(b, k, &c);
		CHECK(r.status == 1 && r.consumed == 0, "at %zu bytes: status %d consumed %zu", k, r.status, r.consumed);
	}

	CASE("garbage before a command is skipped, then the command decodes");
	memcpy(b, "\x01\x02garbage HDR", 12);
	n = 12 + encode_param(b + 12, "compressor.ratio", 3);
	size_t off = 0;
	int errors = 0, ok = 0;
	while (off < n) {
		r = hr_wire_decode_command(b + off, n - off, &c);
		if (r.status == 1)
			break;
		CHECK(r.consumed > 0, "no progress at %zu", off);
		off += r.consumed;
		errors += r.status < 0;
		ok += r.status == 0;
	}
	CHECK(ok == 1 && off == n && c.u.set_param.value == 3.0, "ok %d errors %d off %zu", ok, errors, off);
	CHECK(errors >= 1, "garbage was not reported");

	CASE("a wrong length is reported and only the header consumed");
	n = encode_param(b, "agc.target_lufs", -20);
	b[8] = 55;
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_LENGTH && r.consumed == HR_WIRE_HEADER && r.seq == 9, "status %d consumed %zu", r.status,
	      r.consumed);
	b[8] = 0xff, b[9] = 0xff, b[10] = 0xff, b[11] = 0x7f; /* a huge length must not make us wait forever */
	r = hr_wire_decode_command(b, HR_WIRE_HEADER, &c);
	CHECK(r.status == -HR_WERR_LENGTH && r.consumed == HR_WIRE_HEADER, "status %d", r.status);

	CASE("unknown type, frame type as command, other version");
	n = encode_param(b, "agc.target_lufs", -20);
	b[6] = 0x99;
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_TYPE, "status %d", r.status);
	hr_frame_ack ack = { 1, 2 };
	n = hr_wire_encode_ack(b, 3, &ack);
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_TYPE && r.consumed == n, "status %d", r.status);
	n = encode_param(b, "agc.target_lufs", -20);
	b[4] = 2;
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_VERSION && r.consumed == n, "status %d", r.status);

	CASE("malformed fields");
	n = encode_param(b, "agc.target_lufs", -20);
	memset(b + HR_WIRE_HEADER, 'a', HR_WIRE_KEY_LEN); /* no NUL */
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_VALUE, "unterminated key: status %d", r.status);
	n = encode_param(b, "agc.target_lufs", -20);
	b[HR_WIRE_HEADER + 30] = 'x'; /* data hidden after the NUL */
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_VALUE, "bytes after NUL: status %d", r.status);
	n = encode_param(b, "agc.target_lufs", NAN);
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_VALUE, "NaN: status %d", r.status);
	hr_command tg = { .h = { HR_WIRE_VERSION, HR_CMD_SET_TAP_GAIN, 20, 1 } };
	tg.u.set_tap_gain = (hr_tap_gain){ 1, 0, 31.0f, -16.0f, -18.0f };
	n = hr_wire_encode_command(b, &tg);
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_RANGE, "tap gain +31 dB: status %d", r.status);
	tg.u.set_tap_gain.gain_db = 0.0f;
	tg.u.set_tap_gain.aim_lufs = NAN;
	n = hr_wire_encode_command(b, &tg);
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_VALUE, "tap aim NaN: status %d", r.status);
	hr_command by = { .h = { HR_WIRE_VERSION, HR_CMD_BYPASS, 4, 1 } };
	by.u.bypass.on = 2;
	n = hr_wire_encode_command(b, &by);
	r = hr_wire_decode_command(b, n, &c);
	CHECK(r.status == -HR_WERR_VALUE, "bypass 2: status %d", r.status);
}

int main(int argc, char **argv)
{
	golden_dir = argc > 1 ? argv[1] : "test/wire/golden";
	test_golden_frames();
	if (!getenv("HR_WIRE_REGEN"))
		test_golden_commands();
	test_decoder_rejects();
	return hr_test_summary();
}
