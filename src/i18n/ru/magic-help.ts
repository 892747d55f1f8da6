/** @file Russian help texts of the magics (`%name?`), keyed by each magic's English `help` (see ../index.ts). */
export const MAGIC_HELP: Readonly<Record<string, string>> = {
  // %backprop
  "Run reverse mode on the call f(x, w, b) (f must return a scalar) and show the seminar's algorithm: the graph annotated with adjoints ū_i, the table for i = m..1 with each child's contribution ū_j·∂u_j/∂u_i and their sum ū_i, and the gradients with respect to the inputs. For a non-scalar f, --cotangent y (an expression) seeds ū_m = y: the inputs then get yᵀJ. Same as the library call backprop(f, x, w, b).":
    "Выполняет обратный режим на вызове f(x, w, b) (f должна возвращать скаляр) и показывает алгоритм семинара: граф с сопряжёнными переменными ū_i, таблицу для i = m..1 с вкладом каждого ребёнка ū_j·∂u_j/∂u_i и их суммой ū_i и градиенты по входам. Для нескалярной f флаг --cotangent y (выражение) задаёт ū_m = y: тогда входы получают yᵀJ. То же, что вызов библиотеки backprop(f, x, w, b).",
  // %forward
  "Run forward mode on the call f(x, w, b) with respect to one input (a parameter name of f, an argument as written in the call, or a position; default the first) and show, for i = 1..m, du_i/dx with each parent's term, how many numbers each step carries and keeps alive, next to what reverse mode stores (seminar item 10). Same as forwardTable(f, x, w, b, { wrt }).":
    "Выполняет прямой режим на вызове f(x, w, b) по одному входу (имя параметра f, аргумент, как он записан в вызове, или номер; по умолчанию первый) и показывает для i = 1..m производную du_i/dx со слагаемым каждого родителя, сколько чисел каждый шаг переносит и держит в памяти, рядом с тем, что хранит обратный режим (пункт 10 семинара). То же, что forwardTable(f, x, w, b, { wrt }).",
  // %gradcheck
  "Check the gradient of the scalar function f at x: autodiff vs central finite differences vs your formula g(x) (and Hessian formula h(x)), entry by entry with absolute and relative errors. The report is displayed; when any entry fails, the cell fails too. At a symmetric matrix x the differences perturb X[i, j] and X[j, i] together (--symmetric false: one entry at a time; --symmetric true: always). Same as gradcheck(f, x, { analytic: g, hessian: h, symmetric }).assert().":
    "Проверяет градиент скалярной функции f в точке x: автодифференцирование против центральных конечных разностей против вашей формулы g(x) (и формулы гессиана h(x)), поэлементно, с абсолютной и относительной ошибками. Отчёт выводится; если хоть один элемент не прошёл, ячейка тоже завершается ошибкой. В симметричной матрице x разности возмущают X[i, j] и X[j, i] вместе (--symmetric false: по одному элементу; --symmetric true: всегда). То же, что gradcheck(f, x, { analytic: g, hessian: h, symmetric }).assert().",
  // %graph
  "Record the call f(x, w, b) and draw its computational graph (Graphviz SVG): vertices u_1..u_m numbered inputs first, output last, each with its op, shape and value. --rankdir sets the direction, --max the number of vertices above which runs of vertices are drawn as blocks, --layout dot (Graphviz) or layered (fast, for big graphs; auto picks by size). --backward w draws the graph of the backward pass instead: the computation of df/dw built from the primitives' VJP rules (seminar item 6). Same as graph(f, x, w, b, { rankdir }) and graph(backwardGraph(f, x, w, b, { wrt })).":
    "Записывает вызов f(x, w, b) и рисует его вычислительный граф (SVG Graphviz): вершины u_1..u_m, сначала входы, выход последним, у каждой операция, форма и значение. --rankdir задаёт направление, --max — число вершин, начиная с которого цепочки вершин рисуются блоками, --layout dot (Graphviz) или layered (быстрая раскладка для больших графов; auto выбирает по размеру). --backward w рисует вместо этого граф обратного прохода: вычисление df/dw, построенное из правил VJP примитивов (пункт 6 семинара). То же, что graph(f, x, w, b, { rankdir }) и graph(backwardGraph(f, x, w, b, { wrt })).",
  // %html
  "Render the rest of the cell as HTML (text/html).": "Показывает остаток ячейки как HTML (text/html).",
  // %interact
  "Show %backprop, %forward or %graph of the call f(x, w, b) with a slider for each scalar input (a number or a one-entry tensor) and for the vector entries named by --entries (f's parameter names, as the sliders are labelled), ranging around its value (other entries stay fixed). Moving a slider runs the view again and replaces it in place (needs a front end with Jupyter widgets: JupyterLab, Notebook 7, VS Code). Same as live(backprop, f, [x, w, b], { entries: { w: [0, 2] } }). %interact gradcheck f x shows the %gradcheck report of f at x with a slider per entry of x (all of them when x has at most 8, else those named by --entries); a failing check shows FAIL in the table without failing the cell. Same as live(gradcheck, f, [x], { entries: { x: [0, 1] }, options: { analytic: g } }).":
    "Показывает %backprop, %forward или %graph вызова f(x, w, b) с ползунком для каждого скалярного входа (числа или тензора из одного элемента) и для элементов векторов, названных в --entries (по именам параметров f, как подписаны ползунки), в диапазоне вокруг текущего значения (остальные элементы не меняются). Движение ползунка заново выполняет вид и заменяет его на месте (нужен интерфейс с виджетами Jupyter: JupyterLab, Notebook 7, VS Code). То же, что live(backprop, f, [x, w, b], { entries: { w: [0, 2] } }). %interact gradcheck f x показывает отчёт %gradcheck для f в точке x с ползунком на каждый элемент x (на все, если их не больше 8, иначе на названные в --entries); непройденная проверка видна в таблице, но ячейка не завершается ошибкой. То же, что live(gradcheck, f, [x], { entries: { x: [0, 1] }, options: { analytic: g } }).",
  // %language
  "Write the magics' and the library's outputs (tables, verdicts, plot titles, errors) in English (en) or Russian (ru) for the rest of the session. The kernel starts in the notebook's language (its metadata.language, which the Russian notebooks carry). %language alone shows the current one. The same as setLanguage(\"ru\").":
    'Пишет выводы магических команд и библиотеки (таблицы, вердикты, заголовки графиков, ошибки) на английском (en) или русском (ru) до конца сеанса. Ядро стартует на языке блокнота (его metadata.language, которое есть у русских блокнотов). %language без аргумента показывает текущий язык. То же, что setLanguage("ru").',
  // %latex
  "Render the rest of the cell as LaTeX (text/latex).": "Показывает остаток ячейки как LaTeX (text/latex).",
  // %lsmagic
  "List the available line magics (%name) and cell magics (%%name). `%name?` shows one magic's help.":
    "Перечисляет строчные (%name) и ячеечные (%%name) магические команды. `%name?` показывает справку по одной из них.",
  // %markdown
  "Render the rest of the cell as Markdown (text/markdown).": "Показывает остаток ячейки как Markdown (text/markdown).",
  // %npm
  "Install npm packages for this notebook into node_modules/ of the notebook's directory (a package.json is created there if missing), so the next cell can `import` them, with types when the package ships them.":
    "Устанавливает пакеты npm для этого блокнота в node_modules/ его папки (там создаётся package.json, если его нет), чтобы следующая ячейка могла их импортировать через `import`, с типами, если пакет их содержит.",
  // %plot
  "fn (default): plot the function EXPR of one variable and its autodiff derivative on --range. contour: contour lines of EXPR, a function of two variables (f(x, y) or f(v) with v of shape [2]), with its gradient field, on --x and --y. lines: line chart of EXPR, an array of series { name, x, y }. Same as plotFunction / plotContour / plotLines.":
    "fn (по умолчанию): график функции одной переменной EXPR и её производной (автодифференцированием) на --range. contour: линии уровня EXPR, функции двух переменных (f(x, y) или f(v) с v формы [2]), с полем градиента, на --x и --y. lines: линейный график EXPR, массива рядов { name, x, y }. То же, что plotFunction / plotContour / plotLines.",
  // %precision
  "Print numbers with N digits (1-17) for the rest of the session: tensors with at most N decimals, as numpy's set_printoptions(precision=N) and IPython's %precision N; the %backprop and %forward step tables, gradcheck tables and %whos with N significant digits. %precision alone goes back to each display's default (tensors 8 decimals, step tables 4 digits, gradcheck 8). Graph pictures keep 4 digits to stay small. The same as the library call setPrintOptions({ precision: N }) (null resets).":
    "Печатает числа с N цифрами (1-17) до конца сеанса: тензоры — не больше N знаков после запятой, как set_printoptions(precision=N) в numpy и %precision N в IPython; таблицы шагов %backprop и %forward, таблицы gradcheck и %whos — с N значащими цифрами. %precision без аргумента возвращает умолчания каждого вида (тензоры 8 знаков, таблицы шагов 4 цифры, gradcheck 8). Картинки графов оставляют 4 цифры, чтобы быть компактными. То же, что вызов библиотеки setPrintOptions({ precision: N }) (null сбрасывает).",
  // %sh
  "Run a shell command (or the cell as a /bin/sh script) in the notebook's directory; its output streams into the cell. A non-zero exit status is an error.":
    "Выполняет команду оболочки (или ячейку как скрипт /bin/sh) в папке блокнота; её вывод идёт в ячейку. Ненулевой код завершения — ошибка.",
  // %svg
  "Render the rest of the cell as an SVG image (image/svg+xml).": "Показывает остаток ячейки как картинку SVG (image/svg+xml).",
  // %time
  "Run the statement (or the cell body) once, as normal notebook code, print CPU and wall time in IPython's format, then show the value of its last expression.":
    "Выполняет инструкцию (или тело ячейки) один раз, как обычный код блокнота, печатает процессорное и реальное время в формате IPython, затем показывает значение последнего выражения.",
  // %timeit
  "Time an expression (or the cell body) in the notebook's scope: R runs (default 7) of N loops each (default: the smallest power of 10 taking at least 0.2 s). Prints mean ± std. dev. per loop, as IPython does. Declarations inside the timed code do not persist.":
    "Измеряет время выражения (или тела ячейки) в области видимости блокнота: R запусков (по умолчанию 7) по N циклов (по умолчанию наименьшая степень 10, занимающая не меньше 0,2 с). Печатает среднее ± ст. откл. на цикл, как IPython. Объявления внутри измеряемого кода не сохраняются.",
  // %who
  "List the names the notebook has defined (variables, functions, classes, imports).":
    "Перечисляет имена, определённые в блокноте (переменные, функции, классы, импорты).",
  // %whos
  "Table of the notebook's names with their type and a short description (shape for tensors, length for arrays).":
    "Таблица имён блокнота с их типом и кратким описанием (форма для тензоров, длина для массивов).",
  // %writefile
  "Write the rest of the cell to `path` (relative to the notebook's directory), replacing it, or append with -a. A TypeScript file written this way can be imported in the next cell: after %%writefile mod.ts, import from ./mod.":
    "Записывает остаток ячейки в файл `path` (относительно папки блокнота), заменяя его, или дописывает с -a. Записанный так файл TypeScript можно импортировать в следующей ячейке: после %%writefile mod.ts импортируйте из ./mod.",
};
