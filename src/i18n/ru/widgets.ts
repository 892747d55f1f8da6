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
  // src/widgets/live.ts (%interact)
  "entries given for {name}, which is not a tensor input (inputs: {inputs})":
    "элементы заданы для {name}, а это не тензорный вход (входы: {inputs})",
  "entry {k} of {name} does not exist ({name} has {n} entries, flat indices 0..{last})":
    "элемента {k} у {name} нет (у {name} элементов: {n}, плоские индексы 0..{last})",
  "none of the inputs ({inputs}) is a scalar, so there is nothing to put on a slider (pick vector entries with {example})":
    "ни один из входов ({inputs}) не скаляр, так что ползунку нечего менять (выберите элементы векторов: {example})",
};
