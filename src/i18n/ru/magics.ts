/** @file Russian translations of the magics texts, keyed by the English source text (see ../index.ts). */
import { MAGIC_HELP } from "./magic-help.js";

export const MAGICS: Readonly<Record<string, string>> = {
  ...MAGIC_HELP,
  // the kernel's error texts (kernel/engine/errors.ts, executor.ts)
  "{n} frame inside gradlab|{n} frames inside gradlab": "{n} кадр внутри gradlab|{n} кадра внутри gradlab|{n} кадров внутри gradlab",
  "cell line {line}": "строка ячейки {line}",
  "In [{count}], line {line}": "In [{count}], строка {line}",
  "line {line}:{column}": "строка {line}:{column}",
  "TypeScript compilation failed": "ошибка компиляции TypeScript",
  " of {gb} GB": " в {gb} ГБ",
  " (out of memory: the executor reached its limit{limit}, which GRADLAB_MEMORY_LIMIT sets; your variables are kept: drop large tensors you no longer need)":
    " (не хватило памяти: исполнитель достиг своего предела{limit}, который задаёт GRADLAB_MEMORY_LIMIT; ваши переменные сохранены: удалите большие тензоры, которые больше не нужны)",
  "out of memory: the cell was stopped with {used} MB of live objects in a JavaScript heap limited to {limit} MB. Your variables are kept, and so is what they reference: drop large values (e.g. `big = []`) or restart the kernel. The limit follows GRADLAB_MEMORY_LIMIT (see README).":
    "не хватило памяти: ячейка остановлена, когда живые объекты заняли {used} МБ из {limit} МБ кучи JavaScript. Ваши переменные сохранены вместе со всем, на что они ссылаются: удалите большие значения (например, `big = []`) или перезапустите ядро. Предел задаёт GRADLAB_MEMORY_LIMIT (см. README).",
  Interrupted: "Прервано",
  "{what} was called: the kernel keeps running and your variables are kept (to stop the kernel, shut it down or restart it from the notebook)":
    "вызвана {what}: ядро продолжает работать, ваши переменные сохранены (чтобы остановить ядро, завершите или перезапустите его из блокнота)",
  "in %{magic}, cell line {line}": "в %{magic}, строка ячейки {line}",
  "execution interrupted by the user": "выполнение прервано пользователем",
  // the browser kernel's restarts (kernel/browser/worker/worker.ts)
  "The kernel was restarted to stop the cell, and your variables are lost: this page is not cross-origin isolated, so code that runs can only be stopped by restarting the kernel's worker. Served with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, an interrupt stops a cell and keeps the variables (see the site's documentation).":
    "Ядро перезапущено, чтобы остановить ячейку, и ваши переменные потеряны: эта страница не изолирована от других источников (cross-origin isolation), поэтому выполняющийся код можно остановить только перезапуском рабочего потока ядра. Если сайт отдаёт заголовки Cross-Origin-Opener-Policy: same-origin и Cross-Origin-Embedder-Policy: require-corp, прерывание останавливает ячейку и сохраняет переменные (см. документацию сайта).",
  "The kernel was restarted to stop the cell, and your variables are lost: the cell did not stop within {seconds} s of the interrupt because it was running code outside the notebook's cells (a library's loop, for instance), which an interrupt cannot stop; only restarting the kernel's worker can.":
    "Ядро перезапущено, чтобы остановить ячейку, и ваши переменные потеряны: ячейка не остановилась за {seconds} с после прерывания, потому что выполняла код вне ячеек блокнота (например, цикл внутри библиотеки), который прерывание остановить не может; это может только перезапуск рабочего потока ядра.",
  // console.table's own headers (kernel/engine/console-table.ts)
  "(index)": "(индекс)",
  "(iteration index)": "(номер итерации)",
  Key: "Ключ",
  Values: "Значения",
  // %gradcheck
  "expected a function and a point, e.g. %gradcheck f x": "ожидались функция и точка, например %gradcheck f x",
  "--{flag} {text} is not a function (got {type})": "--{flag} {text} — не функция (получено {type})",
  "{text} is not a function (got {type})": "{text} — не функция (получено {type})",
  "gradcheck {name}: FAILED ({failing}, see the table)": "gradcheck {name}: НЕ ПРОЙДЕНО ({failing}, см. таблицу)",
  "{n} failing comparison|{n} failing comparisons": "{n} сравнение не сошлось|{n} сравнения не сошлись|{n} сравнений не сошлись",
  // %language
  'unknown language "{arg}"; expected one of {languages}': 'неизвестный язык "{arg}"; ожидался один из: {languages}',
  "language: {code} (English)": "язык: {code} (русский)",
  // %lsmagic, %who, %whos
  'takes no arguments, got "{args}"': 'не принимает аргументов, получено "{args}"',
  "Available line magics:": "Строчные магические команды:",
  "Available cell magics:": "Магические команды ячейки:",
  "Append ? for help, e.g. %timeit?": "Справка: допишите ?, например %timeit?",
  "shape [{shape}]{preview}": "форма [{shape}]{preview}",
  "length {n}": "длина {n}",
  "(anonymous)": "(анонимная)",
  "{n} arg|{n} args": "{n} аргумент|{n} аргумента|{n} аргументов",
  Variable: "Переменная",
  Type: "Тип",
  "Data/Info": "Данные/описание",
  "Interactive namespace is empty.": "Пространство имён пусто.",
  // %time, %timeit
  "{mean} ± {std} per loop (mean ± std. dev. of {runs}, {loops} each)":
    "{mean} ± {std} на цикл (среднее ± ст. откл. по {runs}, в каждом {loops})",
  "{n} run|{n} runs": "{n} запуску|{n} запускам|{n} запускам",
  "{n} loop|{n} loops": "{n} цикл|{n} цикла|{n} циклов",
  "CPU times: user {user}, sys: {sys}, total: {total}": "Время ЦП: пользователь {user}, система: {sys}, всего: {total}",
  "Wall time: {wall}": "Реальное время: {wall}",
  "missing statement to time": "нет инструкции, время которой измерять",
  'unexpected argument "{arg}" (the cell body is timed)': 'лишний аргумент "{arg}" (время измеряется для тела ячейки)',
  "missing expression to time": "нет выражения, время которого измерять",
  "-{flag} expects a positive integer, got {value}": "-{flag} ожидает положительное целое, получено {value}",
  "cannot compile the expression": "не удалось скомпилировать выражение",
  // %plot
  '--{flag} expects a range a:b, got "{value}"': '--{flag} ожидает диапазон a:b, получено "{value}"',
  "missing the expression to plot": "нет выражения для графика",
  // the registry's messages
  "{magic} is not a cell magic; use {use} (usage: {usage})":
    "{magic} — не магическая команда ячейки; используйте {use} (синтаксис: {usage})",
  "{magic} is not a line magic; use {use} (usage: {usage})":
    "{magic} — не строчная магическая команда; используйте {use} (синтаксис: {usage})",
  "; did you mean {magic}?": "; может быть, {magic}?",
  "unknown magic {magic}{suggestion} (%lsmagic lists them all)":
    "неизвестная магическая команда {magic}{suggestion} (все перечисляет %lsmagic)",
  "usage: {usage}": "синтаксис: {usage}",
  // call arguments, %interact
  'expected a call such as f(x, w, b), got "{text}"': 'ожидался вызов вида f(x, w, b), получено "{text}"',
  '--entries: expected entries like w[0],w[2], got "{text}"': '--entries: ожидались элементы вида w[0],w[2], получено "{text}"',
  "expected a function and a point, e.g. %interact gradcheck f x": "ожидались функция и точка, например %interact gradcheck f x",
  "{x} has {n} entries: name the ones to put on sliders, e.g. --entries {example}":
    "в {x} элементов: {n}; укажите, какие вынести на ползунки, например --entries {example}",
  "expected a view and a call, e.g. %interact backprop f(x, w, b)": "ожидались вид и вызов, например %interact backprop f(x, w, b)",
  'unknown view "{view}": expected one of {views}': 'неизвестный вид "{view}": ожидался один из: {views}',
  "missing the call, e.g. f(x, w, b)": "нет вызова, например f(x, w, b)",
  // flags
  "unknown flag {flag}": "неизвестный флаг {flag}",
  "flag {flag} takes no value": "флаг {flag} не принимает значения",
  "flag {flag} needs a value": "флагу {flag} нужно значение",
  'flag {flag} expects a number, got "{value}"': 'флаг {flag} ожидает число, получено "{value}"',
  'flag {flag} expects one of {choices}, got "{value}"': 'флаг {flag} ожидает одно из {choices}, получено "{value}"',
  'the value of {flag} is not a balanced expression: "{char}" is never closed':
    'значение {flag} — несбалансированное выражение: скобка "{char}" нигде не закрыта',
  'the value of {flag} is not a balanced expression: "{char}" closes nothing':
    'значение {flag} — несбалансированное выражение: скобка "{char}" ничего не закрывает',
  "the value of {flag} is not a balanced expression: a string ({char}) is never closed":
    "значение {flag} — несбалансированное выражение: строка ({char}) нигде не закрыта",
  // %%writefile, %sh, %npm, %precision
  "Appending to {path}": "Дописываю в {path}",
  "Overwriting {path}": "Перезаписываю {path}",
  "Writing {path}": "Записываю {path}",
  "missing file name": "нет имени файла",
  "expected one file name, got {n} (quote a name with spaces)":
    "ожидалось одно имя файла, получено {n} (имя с пробелами возьмите в кавычки)",
  "cannot write {path}: {reason}": "не удалось записать {path}: {reason}",
  "cannot run {file}: {reason}": "не удалось запустить {file}: {reason}",
  "command exited with {how}: {command}": "команда завершилась с {how}: {command}",
  "status {code}": "кодом {code}",
  'unexpected argument "{arg}"': 'лишний аргумент "{arg}"',
  "missing command": "нет команды",
  'unknown subcommand "{sub}"': 'неизвестная подкоманда "{sub}"',
  "missing subcommand": "нет подкоманды",
  "missing package name": "нет имени пакета",
  'not a package name: "{name}"': 'не имя пакета: "{name}"',
  "installed {packages} into {dir}": "установлено: {packages} в {dir}",
  'expected a number of digits from 1 to 17, got "{text}"': 'ожидалось число цифр от 1 до 17, получено "{text}"',
  " (IPython's format strings such as %.3f are not supported)": " (форматные строки IPython вида %.3f не поддерживаются)",
  "precision: the defaults": "точность: по умолчанию",
  "precision: tensors {n} decimals, tables {n} significant digits":
    "точность: тензоры — {n} знаков после запятой, таблицы — {n} значащих цифр",
};
