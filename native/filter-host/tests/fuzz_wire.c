/* libFuzzer target: the command decoder must never read out of bounds, never loop
 * without progress, and report every byte it drops. Run by `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	while (off < size) {
		hr_command c;
		hr_wire_result r = hr_wire_decode_command(data + off, size - off, &c);
		if (r.status == 1) {
			if (r.consumed != 0)
				abort();
			break;
		}
		if (r.consumed == 0 || r.consumed > size - off)
			abort();
		if (r.status == 0) {
			/* a decoded command re-encodes to the bytes it came from */
			uint8_t again[HR_WIRE_HEADER + HR_WIRE_MAX_PAYLOAD];
			size_t n = hr_wire_encode_command(again, &c);
			if (n != r.consumed)
				abort();
		}
		off += r.consumed;
	}
	return 0;
}
