/** @file A bounded pool of async workers (notebooks run at once, submissions graded at once). */

/**
 * Runs `items` through `worker` with at most `limit` in flight; results keep the input order.
 *
 * @example
 * await pool([1, 2, 3], 2, async (x) => x * 2); // [2, 4, 6]
 */
export async function pool<T, R>(items: T[], limit: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await worker(items[i]);
    }
  });
  await Promise.all(lanes);
  return results;
}
