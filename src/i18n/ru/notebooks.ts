/** @file Russian translations of the notebooks texts, keyed by the English source text (see ../index.ts). */
export const NOTEBOOKS: Readonly<Record<string, string>> = {
  // src/measure/memory.ts
  'expected collection "minor" or "major", got {got}': 'ожидалась сборка мусора "minor" или "major", получено {got}',
  "expected rounds to be a whole number of at least 1, got {got}": "ожидалось целое число замеров rounds, не меньше 1, получено {got}",
  "memory is measured with the counters of Node's JavaScript engine, which a browser does not have: run it in the installed kernel":
    "память измеряется счётчиками движка JavaScript в Node, которых нет в браузере: выполните это в установленном ядре",
  "expected a function, got {got}": "ожидалась функция, получено {got}",
  "the run never called its probe": "вычисление ни разу не вызвало probe",
};
