// The names of headroom's own PipeWire nodes, as the engine creates them (HR_SINK_NAME and
// HR_ENGINE_NAME in native/filter-host/src/wire.h, mirrored by the protocol), and the value
// of headroom.node on the engine node.
import { ENGINE_NAME, SINK_NAME } from './filter-host-protocol.js';

export const BUS_SINK = SINK_NAME;
export const ENGINE_NODE = ENGINE_NAME;
export const ENGINE_KIND = 'engine';
