// The flags bin/run.js's first line gives Node (a small young generation, one V8 worker
// thread: a long-running headroom weighs much less); the systemd unit starts Node with the
// same ones. A test checks that the two agree.
export const NODE_FLAGS = ['--max-semi-space-size=4', '--v8-pool-size=1'] as const;
