/** @file Russian translations of the homework texts, keyed by the English source text (see ../index.ts). */
export const HOMEWORK: Readonly<Record<string, string>> = {
  // The by-hand guard (src/core/byhand.ts).
  "{what}: your answer calls {name} (autodiff); this exercise asks for the formula derived by hand. Write it with the library's ops (dot, mul, exp, ...) instead of grad, vjp, jvp, hvp, jacfwd, jacrev, hessian, valueAndGrad, gradcheck or the graph API (traceGraph, backward, backprop, forward, forwardTable, backwardGraph, graph).":
    "{what}: ваш ответ вызывает {name} (автоматическое дифференцирование), а в этом упражнении нужна формула, выведенная вручную. Запишите её операциями библиотеки (dot, mul, exp, ...) без grad, vjp, jvp, hvp, jacfwd, jacrev, hessian, valueAndGrad, gradcheck и без API графа (traceGraph, backward, backprop, forward, forwardTable, backwardGraph, graph).",
  "{what}: your answer calls {name}, the function you are asked to differentiate: finite differences or {name} itself do not count as a derivation; write the formula.":
    "{what}: ваш ответ вызывает {name}, функцию, которую нужно продифференцировать: конечные разности и сама {name} выводом не считаются; запишите формулу.",
  // The checker (src/homework/checks.ts).
  "differential: expected directions to be a whole number >= 1, got {got}":
    "differential: число направлений directions должно быть целым и не меньше 1, а получено {got}",
  "(cell [{cell}], line {line})": "(ячейка [{cell}], строка {line})",
  "Hint: {hint}": "Подсказка: {hint}",
  WRONG: "НЕВЕРНО",
  "Wrong: {entries}.": "Неверны: {entries}.",
  "a constant of u{k}": "константа вершины u{k}",
  "compare your entries with the table above; the wrong entries are marked.": "сравните свои значения с таблицей выше; неверные отмечены.",
  entry: "элемент",
  expected: "ожидается",
  "missing transpose: your answer is the transpose of the right one.":
    "пропущено транспонирование: ваш ответ — транспонированный правильный.",
  "off by a constant factor {scale}: look for a lost 1/2, 2 or scalar factor.":
    "отличается постоянным множителем {scale}: поищите потерянные 1/2, 2 или скалярный множитель.",
  ok: "верно",
  "sign error: your answer is exactly minus the right one.": "ошибка в знаке: ваш ответ равен правильному со знаком минус.",
  "the wrong entries are marked in the table above; hints for typical mistakes come with grading.":
    "неверные элементы отмечены в таблице выше; подсказки о типичных ошибках будут при проверке преподавателем.",
  value: "значение",
  "your answer is all zeros: is it still the blank template?": "ваш ответ — одни нули: может быть, это ещё пустой шаблон?",
  yours: "ваше",
  "{first} and {more} more": "{first} и ещё {more}",
  "{id}: WRONG ({k} of {n} entries disagree).": "{id}: НЕВЕРНО (не совпадают {k} из {n}).",
  "{id}: WRONG: your answer builds a {n}×{n} intermediate ({what}, shape [{shape}]); the exercise asks for it without any {n}×{n} matrix.":
    "{id}: НЕВЕРНО: ваш ответ строит промежуточную матрицу {n}×{n} ({what}, форма [{shape}]); в упражнении нужно обойтись без матриц {n}×{n}.",
  "{id}: correct": "{id}: верно",
  "{id}: could not be checked (your answer agrees with autodiff in all {n} entries, but autodiff disagrees with finite differences at {where}, see the table: the reference is in doubt, not your answer; tell your instructor)":
    "{id}: проверить не удалось (ваш ответ совпадает с автоматическим дифференцированием во всех {n} элементах, но оно расходится с конечными разностями в {where}, см. таблицу: под сомнением эталон, а не ваш ответ; сообщите преподавателю)",
  "{id}: expected your answer to be an object of numbers { {keys} }, got {got}":
    "{id}: ответ должен быть объектом с числами { {keys} }, а получено {got}",
  "{id}: no {n}×{n} intermediate": "{id}: промежуточных матриц {n}×{n} нет",
  "{id}: not answered yet (no number for {keys})": "{id}: ответа ещё нет (нет числа для {keys})",
  "{id}: not answered yet": "{id}: ответа ещё нет",
  "{id}: your answer has shape [{got}], expected shape [{want}]": "{id}: ваш ответ имеет форму [{got}], а нужна форма [{want}]",
  "{id}: your answer is not a tensor or a number ({why})": "{id}: ваш ответ — не тензор и не число ({why})",
  "{id}: your answer raised {error}": "{id}: ваш ответ выбросил ошибку {error}",
  "{id}: your answer vs the expected one": "{id}: ваш ответ и ожидаемый",
  "{id}: your differential on random directions dx vs the expected one": "{id}: ваш дифференциал на случайных направлениях dx и ожидаемый",
  "{id}: your entries (the expected values are not shown)": "{id}: ваши значения (ожидаемые не показываются)",
  // gradlab assign / validate / check (cli/homework).
  "*Write your derivation here* (replace this text: it is graded by hand; LaTeX between $...$ works as in the statements).":
    "*Запишите здесь свой вывод* (замените этот текст: вывод проверяется преподавателем вручную; формулы LaTeX между $...$ работают, как в условиях).",
  "(hidden checks run when graded)": "(скрытые проверки выполняются при проверке преподавателем)",
  "Could not be graded:": "Проверить не удалось:",
  FAIL: "НЕ ПРОЙДЕНО",
  "Feedback: {file}": "Результаты проверки: {file}",
  "Grades ({n} submission)|Grades ({n} submissions)": "Оценки ({n} работа)|Оценки ({n} работы)|Оценки ({n} работ)",
  "Instructor cells: {what}.": "Ячейки преподавателя: {what}.",
  "Pass rate per exercise": "Доля сдавших по упражнениям",
  "Score: {score} / {max}": "Баллы: {score} из {max}",
  Students: "Студенты",
  "Written answers are graded by hand: their points are not in the score yet.":
    "Письменные ответы проверяются вручную: их баллы пока не входят в сумму.",
  "Written answers": "Письменные ответы",
  "added {cells}": "добавлены {cells}",
  "by hand": "вручную",
  "cell {cell} failed: {what}": "ячейка {cell} завершилась ошибкой: {what}",
  "could not be graded: {why}": "проверить не удалось: {why}",
  "deleted {cells} (put back)": "удалены {cells} (восстановлены)",
  error: "ошибка",
  exercise: "упражнение",
  fail: "не пройдено",
  file: "файл",
  "message (hint)": "сообщение (подсказка)",
  missing: "нет",
  "modified {cells} (restored)": "изменены {cells} (восстановлены)",
  "no kernelspec in the submission's metadata: graded with the source's kernel ({want})":
    "в метаданных работы нет kernelspec: проверено ядром задания ({want})",
  'the submission asks for kernel "{name}": graded with the source\'s kernel ({want})':
    "работа запрашивает ядро «{name}»: проверено ядром задания ({want})",
  "not answered (the placeholder is unchanged)": "ответа нет (текст-заготовка не изменён)",
  "not answered yet: write your derivation in its cell": "ответа ещё нет: запишите вывод в его ячейку",
  "not answered": "нет ответа",
  "note: you edited the instructor's cell(s) {cells}; grading restores them from the original.":
    "замечание: вы изменили ячейки преподавателя {cells}; при проверке они будут восстановлены из оригинала.",
  "partial {right}/{total}": "частично {right}/{total}",
  pass: "пройдено",
  passed: "сдано",
  points: "баллы",
  rate: "доля",
  result: "результат",
  score: "баллы",
  submission: "работа",
  "tampering / notes": "изменения / замечания",
  "the kernel stopped at cell {cell} (process.exit or a crash); later cells did not run":
    "ядро остановилось на ячейке {cell} (process.exit или сбой); следующие ячейки не выполнялись",
  "to be graded by hand": "проверяется вручную",
  "written (graded by hand, {n} point)|written (graded by hand, {n} points)":
    "написан (проверяется вручную, {n} балл)|написан (проверяется вручную, {n} балла)|написан (проверяется вручную, {n} баллов)",
  "{k} of {n} exercises pass": "пройдено упражнений: {k} из {n}",
  "{n} point, graded by hand|{n} points, graded by hand":
    "{n} балл, проверяется вручную|{n} балла, проверяется вручную|{n} баллов, проверяется вручную",
};
