/** @file playground: sliders re-draw the gradient descent / Newton path over the contour, which matches descentPath and the closed forms. */
import { describe, expect, it } from "vitest";
import { add, descentPath, mul, playground, PLOTLY_MIME, square, type Tensor } from "../../../src/index.js";

/** f = x² + 3y²: gradient descent multiplies x by 1 − 2 lr and y by 1 − 6 lr; Newton with lr = 1 lands on 0. */
const bowl = (x: Tensor, y: Tensor) => add(square(x), mul(3, square(y)));
const TOL = 1e-12;

type Trace = { type: string; name: string; x: number[]; y: number[] };
function figure(view: ReturnType<typeof playground>): { data: Trace[]; layout: { title: { text: string } } } {
  const [shown] = view.out.value as { data: Record<string, unknown> }[];
  return shown!.data[PLOTLY_MIME] as never;
}

describe("playground", () => {
  it("draws the contour, the path and the start, with sliders x0, y0, lr, steps and a method dropdown", () => {
    const view = playground(bowl, { x0: 1, y0: -1, lr: 0.1, steps: 5 });
    const controls = view.value.slice(0, -1);
    expect(controls.map((c) => [c.getState()._model_name, c.getState().description, c.value])).toEqual([
      ["FloatSliderModel", "x0", 1],
      ["FloatSliderModel", "y0", -1],
      ["FloatSliderModel", "lr", 0.1],
      ["IntSliderModel", "steps", 5],
      ["DropdownModel", "method", "gd"],
    ]);
    const fig = figure(view);
    expect(fig.data.map((t) => t.type)).toEqual(["contour", "scatter", "scatter"]);
    const path = fig.data[1]!;
    expect(path.name).toBe("gradient descent");
    path.x.forEach((x, k) => expect(Math.abs(x - 0.8 ** k)).toBeLessThan(TOL));
    path.y.forEach((y, k) => expect(Math.abs(y + 0.4 ** k)).toBeLessThan(TOL));
    expect(path.x).toHaveLength(6);
    expect(fig.data[2]).toMatchObject({ name: "start", x: [1], y: [-1] });
    expect(fig.layout.title.text).toContain("bowl: gradient descent, lr = 0.1; after 5 steps");
  });

  it("re-draws the path as the controls move, and Newton with lr = 1 converges in one step", () => {
    const view = playground(bowl, { x0: 1, y0: -1, lr: 0.1, steps: 5 });
    const [x0, y0, lr, steps, method] = view.value.slice(0, -1);
    const contour = figure(view).data[0];
    x0!.value = -1.5;
    y0!.value = 0.5;
    lr!.value = 0.25;
    steps!.value = 8;
    let path = figure(view).data[1]!;
    expect(path.x.map((x, k) => [x, path.y[k]])).toEqual(descentPath(bowl, [-1.5, 0.5], { lr: 0.25, steps: 8 }).points);
    path.x.forEach((x, k) => expect(Math.abs(x - -1.5 * 0.5 ** k)).toBeLessThan(TOL));
    path.y.forEach((y, k) => expect(Math.abs(y - 0.5 * (-0.5) ** k)).toBeLessThan(TOL));
    expect(figure(view).data[0]).toEqual(contour);
    method!.value = "newton";
    lr!.value = 1;
    path = figure(view).data[1]!;
    expect(path.name).toBe("Newton");
    expect(path.x.slice(0, 2)).toEqual([-1.5, 0]);
    expect(path.y.slice(0, 2)).toEqual([0.5, 0]);
    expect(view.out.value).toHaveLength(1);
  });

  it("says in the title when the path diverged; rejects bad options", () => {
    const view = playground(bowl, { x0: 1, y0: 1, lr: 0.5, steps: 100 });
    expect(figure(view).layout.title.text).toMatch(/stopped at step \d+: diverged/);
    expect(() => playground(bowl, { method: "sgd" as never })).toThrow('playground: expected method "gd" or "newton", got "sgd"');
    expect(() => playground(bowl, { lrRange: [1, 0] })).toThrow("playground: expected lrRange [min, max] with min < max, got [1, 0]");
    expect(() => playground(42 as never)).toThrow("playground: expected a function of two variables");
  });
});
