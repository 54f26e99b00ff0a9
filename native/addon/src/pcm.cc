#include "pcm.h"
#include <cstring>

bool pcm_format_from_name(const char *name, PcmFormat *out)
{
	static const struct { const char *name; PcmFormat f; } table[] = {
		{ "u8", PcmFormat::U8 }, { "s16", PcmFormat::S16 }, { "s24", PcmFormat::S24 },
		{ "s32", PcmFormat::S32 }, { "f32", PcmFormat::F32 }, { "f64", PcmFormat::F64 },
	};
	for (const auto &row : table)
		if (std::strcmp(row.name, name) == 0) {
			*out = row.f;
			return true;
		}
	return false;
}

size_t pcm_bytes_per_sample(PcmFormat f)
{
	switch (f) {
	case PcmFormat::U8: return 1;
	case PcmFormat::S16: return 2;
	case PcmFormat::S24: return 3;
	case PcmFormat::S32: return 4;
	case PcmFormat::F32: return 4;
	case PcmFormat::F64: return 8;
	}
	return 0;
}

void pcm_decode(PcmFormat f, const uint8_t *s, size_t n, float *d)
{
	switch (f) {
	case PcmFormat::U8:
		for (size_t i = 0; i < n; i++)
			d[i] = (float)((int)s[i] - 128) / 128.0f;
		break;
	case PcmFormat::S16:
		for (size_t i = 0; i < n; i++)
			d[i] = (float)(int16_t)(s[2 * i] | (s[2 * i + 1] << 8)) / 32768.0f;
		break;
	case PcmFormat::S24:
		for (size_t i = 0; i < n; i++) {
			int32_t v = (int32_t)((uint32_t)s[3 * i] << 8 | (uint32_t)s[3 * i + 1] << 16 | (uint32_t)s[3 * i + 2] << 24);
			d[i] = (float)((double)(v >> 8) / 8388608.0);
		}
		break;
	case PcmFormat::S32:
		for (size_t i = 0; i < n; i++) {
			int32_t v;
			std::memcpy(&v, s + 4 * i, 4);
			d[i] = (float)((double)v / 2147483648.0);
		}
		break;
	case PcmFormat::F32:
		std::memcpy(d, s, n * 4);
		break;
	case PcmFormat::F64:
		for (size_t i = 0; i < n; i++) {
			double v;
			std::memcpy(&v, s + 8 * i, 8);
			d[i] = (float)v;
		}
		break;
	}
}
