// Raw interleaved PCM -> float, for every sample format a WAV can carry.
#pragma once
#include <cstddef>
#include <cstdint>

enum class PcmFormat { U8, S16, S24, S32, F32, F64 };

// Returns false for an unknown name.
bool pcm_format_from_name(const char *name, PcmFormat *out);
size_t pcm_bytes_per_sample(PcmFormat f);
// Decode `samples` little-endian samples from src into dst.
void pcm_decode(PcmFormat f, const uint8_t *src, size_t samples, float *dst);
