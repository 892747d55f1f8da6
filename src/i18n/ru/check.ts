/** @file Russian translations of the check texts, keyed by the English source text (see ../index.ts). */
export const CHECK: Readonly<Record<string, string>> = {
  "formula ≠ autodiff": "формула ≠ автодифф.",
  "autodiff ≠ finite diff": "автодифф. ≠ конечные разности",
  "FAIL: {what}": "НЕ ПРОЙДЕНО: {what}",
  ok: "пройдено",
  entry: "элемент",
  autodiff: "автодифф.",
  "autodiff, symmetric part": "автодифф., симметричная часть",
  "finite diff": "конечные разности",
  "fd error bound": "оценка ошибки разностей",
  "abs err": "абс. ошибка",
  "rel err": "отн. ошибка",
  "your formula": "ваша формула",
  verdict: "вердикт",
  "{n} more passing entry|{n} more passing entries": "ещё {n} пройденный элемент|ещё {n} пройденных элемента|ещё {n} пройденных элементов",
  "{what} formula wrong at {entry}: yours {yours}, autodiff {autodiff} (rel err {rel})":
    "{what}: формула неверна в элементе {entry}: у вас {yours}, автодифф. {autodiff} (отн. ошибка {rel})",
  "{value} (symmetric part)": "{value} (симметричная часть)",
  "{what} autodiff disagrees with finite differences at {entry}: {autodiff} vs {fd} (rel err {rel}; the differences are good to {bound})":
    "{what}: автодифф. расходится с конечными разностями в элементе {entry}: {autodiff} против {fd} (отн. ошибка {rel}; точность разностей {bound})",
  gradient: "градиент",
  Hessian: "гессиан",
  ", Hessian {count}": ", гессиан {count}",
  ", symmetric perturbations": ", симметричные возмущения",
  "gradcheck {name} at x of shape {shape}, f(x) = {value}{how}: {verdict} (gradient {count} entries ok{hessian})":
    "gradcheck {name} в точке x формы {shape}, f(x) = {value}{how}: {verdict} (градиент: верно {count} элементов{hessian})",
  PASSED: "ПРОЙДЕНО",
  FAILED: "НЕ ПРОЙДЕНО",
  "and {n} more": "и ещё {n}",
  "gradcheck {name}: FAILED": "gradcheck {name}: НЕ ПРОЙДЕНО",
  " along symmetric perturbations X ± t E_ii, X ± t (E_ij + E_ji)/2 (they measure the symmetric part (G + Gᵀ)/2 of autodiff's G)":
    " вдоль симметричных возмущений X ± t E_ii, X ± t (E_ij + E_ji)/2 (они измеряют симметричную часть (G + Gᵀ)/2 градиента G автодифф.)",
  "Gradient: autodiff vs central finite differences{along} vs your formula":
    "Градиент: автодифф. против центральных конечных разностей{along} против вашей формулы",
  "Gradient: autodiff vs central finite differences{along}": "Градиент: автодифф. против центральных конечных разностей{along}",
  "Hessian: autodiff vs finite differences of the gradient{along} vs your formula":
    "Гессиан: автодифф. против конечных разностей градиента{along} против вашей формулы",
  // src/check/gradcheck.ts
  "expected f to return a scalar, got shape [{shape}]": "ожидалось, что f вернёт скаляр, а она вернула форму [{shape}]",
  "expected the {what} to have shape [{shape}], got [{got}]": "ожидалось, что {what} будет формы [{shape}], а получено [{got}]",
  "{entries} (a symmetric perturbation)": "{entries} (симметричное возмущение)",
  " and ": " и ",
  "{what} changed by {moved}, from {from} to {to}": "{what} изменён на {moved}, с {from} до {to}",
  "{what} raised an error at a perturbed point (not at the x you passed): {where}{hint}. At that point: {error}":
    "{what} выбросила ошибку в возмущённой точке (не в переданной вами x): {where}{hint}. В этой точке: {error}",
  " (x is symmetric: if f needs a symmetric matrix, check with symmetric perturbations, { symmetric: true })":
    " (x симметрична: если f нужна симметричная матрица, проверяйте симметричными возмущениями, { symmetric: true })",
  "autodiff gradient": "градиент автодифф.",
  "analytic gradient": "градиент по вашей формуле",
  "autodiff Hessian": "гессиан автодифф.",
  "the autodiff gradient of f": "градиент f автодифф.",
  "Hessian formula": "формула гессиана",
  // the library's shape errors a student meets most (src/tensor, src/ops, src/primitives, src/transforms)
  "expected 1-D or 2-D operands, got {a} @ {b}": "ожидались одномерные или двумерные операнды, получено {a} @ {b}",
  "inner dimensions differ: {a} @ {b}": "внутренние размерности не совпадают: {a} @ {b}",
  "shapes cannot be broadcast: {a} and {b}": "формы не согласуются для поэлементной операции: {a} и {b}",
  "f must return a scalar, got shape {shape}": "f должна возвращать скаляр, а вернула форму {shape}",
  "expected a tensor with one entry, got shape [{shape}]": "ожидался тензор из одного элемента, получена форма [{shape}]",
  "expected a square matrix, got {shape}": "ожидалась квадратная матрица, получена форма {shape}",
  "expected two 1-D vectors, got {a} and {b}": "ожидались два одномерных вектора, получены {a} и {b}",
  "cannot reshape {from} into {to}": "нельзя изменить форму {from} на {to}",
};
