/**
 * @file timeMs against the calls it makes, on a clock of known step: a browser's, 0.1 ms, driven by
 * the runs themselves (each call advances it by a known amount), so every figure has an exact
 * answer. No duration of the machine is asserted.
 */
import { describe, expect, test } from "vitest";
import { clockStepMs, timeMs } from "gradlab";

/** A clock read in steps of 0.1 ms whose time is what `advance` adds; each reading also adds a nanosecond (the reading itself). */
function coarseClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return {
    now: () => {
      t += 1e-6;
      return Math.floor(t / 0.1) * 0.1;
    },
    advance: (ms) => (t += ms),
  };
}

describe("timeMs", () => {
  test("the step of a clock is the least difference of its readings: 0.1 ms for a browser's, positive for performance.now()", () => {
    expect(clockStepMs(coarseClock().now)).toBeCloseTo(0.1, 9);
    expect(clockStepMs()).toBeGreaterThan(0);
  });

  test("a call spanning 20 steps of the clock is timed alone", () => {
    const clock = coarseClock();
    let calls = 0;
    const ms = timeMs(() => {
      calls++;
      clock.advance(2.5);
    }, clock.now);
    expect(calls).toBe(1);
    expect(ms).toBeCloseTo(2.5, 1);
  });

  test("a call of 3 µs, a step of 0.1 ms: batches of 1, 10, 100 and 1000 calls, the last (3 ms) spanning 20 steps, its mean per call returned", () => {
    const clock = coarseClock();
    let calls = 0;
    const ms = timeMs(() => {
      calls++;
      clock.advance(0.003);
    }, clock.now);
    expect(calls).toBe(1 + 10 + 100 + 1000);
    // 1000 calls of 3 µs read on a clock of 0.1 ms: 3 ms give or take a step
    expect(Math.abs(ms - 0.003)).toBeLessThanOrEqual(0.1 / 1000 + 1e-12);
  });

  test("on the host's clock the mean per call is positive", () => {
    let calls = 0;
    expect(timeMs(() => calls++)).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(0);
  });
});
