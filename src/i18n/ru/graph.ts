/**
 * @file Russian translations of the graph texts (pictures, step tables of %backprop and %forward,
 * errors of traceGraph, backprop, forward and vertex), keyed by the English source text (see
 * ../index.ts). Terms as the seminar says them: вершина, дети и родители, сопряжённая
 * переменная ū, прямой и обратный проход (forward / backward pass), прямой и обратный режим.
 */
export const GRAPH: Readonly<Record<string, string>> = {
  // step tables
  "Reverse mode: ū_m = {seed}, then for i = m−1 … 1: ū_i = Σ_j ū_j · ∂u_j/∂u_i over the children j of u_i":
    "Обратный режим: ū_m = {seed}, затем для i = m−1 … 1: ū_i = Σ_j ū_j · ∂u_j/∂u_i по детям j вершины u_i",
  "Forward mode w.r.t. {x} (n = {n}): du_i/d{x} = Σ_p ∂u_i/∂u_p · du_p/d{x} over the parents p of u_i":
    "Прямой режим по {x} (n = {n}): du_i/d{x} = Σ_p ∂u_i/∂u_p · du_p/d{x} по родителям p вершины u_i",
  "Gradients with respect to the inputs": "Градиенты по входам",
  "Vector-Jacobian products yᵀJ with respect to the inputs": "Произведения вектора на якобиан yᵀJ по входам",
  "y (the cotangent)": "y (заданный вектор ū_m)",
  vertex: "вершина",
  "contributions ū_j · ∂u_j/∂u_i": "вклады детей ū_j · ∂u_j/∂u_i",
  gradient: "градиент",
  adjoint: "сопряжённая переменная",
  shape: "форма",
  value: "значение",
  terms: "слагаемые",
  "numbers carried": "несёт чисел",
  "forward: alive": "прямой: хранится",
  "reverse: u_1..u_i stored": "обратный: сохранено u_1..u_i",
  seed: "начальное значение",
  identity: "единичная матрица",
  "independent of {x}": "не зависит от {x}",
  "no children": "нет детей",
  "argument {k}": "аргумент {k}",
  "forward mode w.r.t. {x} (n = {n}): at most {peak} numbers alive at once, {total} computed in all; reverse mode stores all {stored} numbers of u_1..u_m, then carries ū_i of the same sizes":
    "прямой режим по {x} (n = {n}): одновременно хранится чисел — не больше {peak}, всего вычислено — {total}; обратный режим сохраняет все числа u_1..u_m (их {stored}), а затем несёт ū_i тех же размеров",
  // listings and pictures
  input: "вход",
  output: "выход",
  op: "операция",
  call: "подвыражение",
  scalar: "скаляр",
  const: "конст",
  "{n} vertex|{n} vertices": "{n} вершина|{n} вершины|{n} вершин",
  "{n} more vertex|{n} more vertices": "ещё {n} вершина|ещё {n} вершины|ещё {n} вершин",
  "backward pass: ∂{f}/∂{x}": "обратный проход: ∂{f}/∂{x}",
  // errors: recording
  "expected a function, got {got}": "ожидалась функция, получено {got}",
  "expected a function, got a recorded graph": "ожидалась функция, а получен записанный граф",
  "{f} takes {k} arguments, got {n}": "{f} принимает аргументов: {k}, передано: {n}",
  "expected {k} names, got {n}": "ожидалось имён: {k}, получено: {n}",
  "argument {name} is not a tensor: {why}": "аргумент {name} не тензор: {why}",
  "expected f to return a tensor, got {got}": "ожидалось, что f вернёт тензор, получено {got}",
  "f's result does not depend on its inputs through gradlab's ops (it is a constant, or was rebuilt from the inputs' numbers through item(), toArray() or data, which the graph cannot follow); compute it from the inputs with gradlab's ops":
    "результат f не зависит от входов через операции gradlab (это константа или он собран из чисел входов через item(), toArray() или data, за которыми граф проследить не может); вычислите его из входов операциями gradlab",
  "f returns its input {name} unchanged: there is no operation to draw":
    "f возвращает свой вход {name} без изменений: в графе нет ни одной операции",
  // errors: vertex()
  "expected a label (a non-empty string) as the first argument, got {got}":
    "первым аргументом ожидалась подпись вершины (непустая строка), получено {got}",
  "expected a function as the second argument of “{label}”, got {got}": "вторым аргументом «{label}» ожидалась функция, получено {got}",
  "“{label}” takes {k} arguments, got {n}": "«{label}» принимает аргументов: {k}, передано: {n}",
  "argument {k} of “{label}” is not a tensor: {why}": "аргумент {k} вершины «{label}» не тензор: {why}",
  "expected the function of “{label}” to return a tensor, got {got}":
    "ожидалось, что функция вершины «{label}» вернёт тензор, получено {got}",
  "the function of “{label}” uses a value of the recorded graph that is not one of its arguments; pass every value it depends on as an argument, e.g. vertex(label, (u, w) => ...)(u, w)":
    "функция вершины «{label}» использует значение из записываемого графа, которое не передано ей аргументом; передайте аргументами все значения, от которых она зависит, например vertex(label, (u, w) => ...)(u, w)",
  "an array": "массив",
  // errors: passes
  "expected f to return a scalar, got shape {shape} (pass a cotangent for a vector-Jacobian product)":
    "ожидалось, что f вернёт скаляр, получена форма {shape} (для произведения вектора на якобиан передайте cotangent)",
  "expected the cotangent to have the output's shape {shape}, got {got}": "ожидался cotangent формы выхода {shape}, получена форма {got}",
  "expected one of the inputs {names}, got {got}": "ожидался один из входов {names}, получено {got}",
  "the derivatives du_i/d{x} would hold {total} numbers (n = {n} directions), expected at most {max}; use a smaller input":
    "производные du_i/d{x} заняли бы {total} чисел (n = {n} направлений), допустимо не больше {max}; возьмите вход поменьше",
  "vertex u{i} ({label}) is a call without its function": "вершина u{i} ({label}) — подвыражение без своей функции",
  "vertex u{i} has unknown primitive “{op}”": "у вершины u{i} неизвестный примитив «{op}»",
  "expected a graph annotated by backward(), got one without adjoints":
    "ожидался граф после backward(), а в этом нет сопряжённых переменных",
  "expected a graph annotated by forward(), got one without tangents": "ожидался граф после forward(), а в этом нет производных du_i/dx",
  // errors: graph data and drawing
  "expected a Graph with at least one vertex": "ожидался граф хотя бы с одной вершиной",
  "expected vertex {i} at position {k}, got id {id}": "на позиции {k} ожидалась вершина {i}, а стоит {id}",
  "vertex u{i} has parent u{p}, expected 1..{last}": "у вершины u{i} родитель u{p}, а допустимы 1..{last}",
  "vertex u{i} has a constant at argument {k}, which is not a free argument position":
    "у вершины u{i} константа на месте аргумента {k}, но это место не свободно",
  "vertex u{i} has shape {shape} but {n} values": "у вершины u{i} форма {shape}, но чисел {n}",
  "expected the output to be the last vertex u{m}, got u{i}": "выходом должна быть последняя вершина u{m}, а указана u{i}",
  "expected maxVertices >= 2, got {max}": "maxVertices должно быть не меньше 2, получено {max}",
  "unknown option {name}, expected one of {names}": "неизвестный параметр {name}, допустимы: {names}",
  "expected layout {names}, got {got}": "layout должен быть {names}, получено {got}",
  "expected rankdir {names}, got {got}": "rankdir должен быть {names}, получено {got}",
  or: "или",
  "expected no arguments after a recorded graph, got {n}": "после записанного графа аргументы не нужны, передано: {n}",
  "expected a function or a recorded graph, got {got}": "ожидалась функция или записанный граф, получено {got}",
  "expected arguments to call {f} with, got none": "не переданы аргументы, с которыми вызвать {f}",
  "expected wrt among {names}, got {got}": "wrt должен быть одним из {names}, получено {got}",
  "Graphviz produced no <svg> element": "Graphviz не выдал элемент <svg>",
  "Graphviz failed: {why}": "ошибка Graphviz: {why}",
  "Graphviz did not answer within {s} s (try {hint} or a smaller maxVertices)":
    "Graphviz не ответил за {s} с (попробуйте {hint} или меньший maxVertices)",
  "Graphviz is starting again after a failure; run the cell again": "Graphviz перезапускается после сбоя; выполните ячейку ещё раз",
  // the magics %graph, %backprop, %forward
  "missing the call to draw": "не указан вызов, граф которого нарисовать",
  "missing the call to differentiate": "не указан вызов, который дифференцировать",
  "--wrt {name} is neither a parameter ({names}) nor an argument of the call": "--wrt {name} — не параметр ({names}) и не аргумент вызова",
};
