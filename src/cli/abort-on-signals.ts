// Runs a job that stops cleanly on Ctrl-C or SIGTERM: the signal aborts it and it tears
// down what it started, instead of the process dying with it half done.
export async function abortOnSignals<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  // `on`, not `once`: execa's exit hook re-raises a signal nobody else listens to
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await job(ac.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
