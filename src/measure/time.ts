/**
 * @file How long a call takes, on a clock whose step can matter: a browser coarsens
 * `performance.now()` against timing attacks (Chromium: to 0.1 ms, 5 µs in a cross-origin isolated
 * page), so a call of a few microseconds reads 0 there, or one whole step. Node's clock steps by
 * well under a microsecond.
 */

/** Steps of the clock one timing spans at least: its rounding is then under 5 %. */
const STEPS = 20;

/** A clock, ms; `performance.now` unless told. */
export type Clock = () => number;

const hostClock: Clock = () => performance.now();
let hostStep: number | undefined;

/**
 * The step of `clock` (default `performance.now()`), ms: the least difference between two
 * successive readings that differ, over a few pairs (measured once for `performance.now()`).
 * @example clockStepMs() // 0.1 in a Chromium page that is not cross-origin isolated
 */
export function clockStepMs(clock: Clock = hostClock): number {
  if (clock === hostClock && hostStep !== undefined) return hostStep;
  let least = Infinity;
  for (let k = 0; k < 5; k++) {
    const t = clock();
    let u = clock();
    while (u === t) u = clock();
    least = Math.min(least, u - t);
  }
  if (clock === hostClock) hostStep = least;
  return least;
}

/**
 * Milliseconds one call of `run` takes on `clock` (default `performance.now()`): one call timed, or, when that spans fewer than 20 steps of
 * the clock ({@link clockStepMs}), 10 calls, then 100, ..., until a run of calls spans 20 steps (or a
 * million calls), and the mean per call. In Node a call longer than a few microseconds is timed
 * alone, as `performance.now()` around it would time it.
 * @example timeMs(() => grad(f)(x)) // e.g. 0.012
 */
export function timeMs(run: () => unknown, clock: Clock = hostClock): number {
  const least = STEPS * clockStepMs(clock);
  for (let calls = 1; ; calls *= 10) {
    const t0 = clock();
    for (let k = 0; k < calls; k++) run();
    const total = clock() - t0;
    if (total >= least || calls >= 1e6) return total / calls;
  }
}
