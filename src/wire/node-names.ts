// The names of headroom's own PipeWire nodes, as the engine creates them (the bus sink's is
// HR_SINK_NAME in native/filter-host/src/wire.h; the streams' are set in host/bus.c).
export const BUS_SINK = 'headroom-processed';
export const ENGINE_CAPTURE = 'headroom-capture';
export const ENGINE_OUTPUT = 'headroom-output';
