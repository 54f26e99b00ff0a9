// The names of headroom's own PipeWire nodes, as the engine creates them (HR_SINK_NAME,
// HR_CAPTURE_NAME and HR_OUTPUT_NAME in native/filter-host/src/wire.h, mirrored by the protocol).
import { CAPTURE_NAME, OUTPUT_NAME, SINK_NAME } from './filter-host-protocol.js';

export const BUS_SINK = SINK_NAME;
export const ENGINE_CAPTURE = CAPTURE_NAME;
export const ENGINE_OUTPUT = OUTPUT_NAME;
