// Runs an async step for many items, at most `limit` at a time (a burst of tool spawns
// side by side, without fifty of them at once against one PipeWire).
export async function mapLimit<T, R>(items: readonly T[], limit: number, step: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await step(items[i] as T).then((value) => ({ status: 'fulfilled' as const, value }), (reason: unknown) => ({ status: 'rejected' as const, reason }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
