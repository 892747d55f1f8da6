/** @file Russian translations of the widgets texts, keyed by the English source text (see ../index.ts). */
export const WIDGETS: Readonly<Record<string, string>> = {
  "gradient descent": "градиентный спуск",
  Newton: "метод Ньютона",
  method: "метод",
  steps: "шаги",
  start: "старт",
  "after {n} step: f({x}, {y}) = {value}|after {n} steps: f({x}, {y}) = {value}":
    "после {n} шага: f({x}, {y}) = {value}|после {n} шагов: f({x}, {y}) = {value}|после {n} шагов: f({x}, {y}) = {value}",
  " (stopped at {where})": " (остановлен: {where})",
  // src/optim/descent.ts
  "step {k}: the Hessian is singular ({reason})": "шаг {k}: гессиан вырожден ({reason})",
  "step {k}: diverged (x = {x}, y = {y}, f = {f})": "шаг {k}: расходится (x = {x}, y = {y}, f = {f})",
};
