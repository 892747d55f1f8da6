/** @file Russian translations of the display texts, keyed by the English source text (see ../index.ts). */
export const DISPLAY: Readonly<Record<string, string>> = {
  "{n} row omitted|{n} rows omitted": "{n} строка пропущена|{n} строки пропущены|{n} строк пропущено",
  // the tensor's HTML caption (src/tensor/format.ts)
  "Tensor, shape [{shape}]": "Тензор, форма [{shape}]",
  "{name}'(x) (autodiff)": "{name}'(x) (автодифф.)",
  "{name} and its derivative": "{name} и её производная",
  "∇{name} (autodiff)": "∇{name} (автодифф.)",
  "{name}: contour lines and gradient field": "{name}: линии уровня и поле градиента",
  'plotly figure "{title}"': 'график plotly "{title}"',
  "plotly figure": "график plotly",
  "plotly.js loaded into the page": "plotly.js загружен в страницу",
  "plotly.js could not be read from {url}: {why}": "не удалось прочитать plotly.js по адресу {url}: {why}",
  "plotly.js is not loaded in this page: display gradlab's plotlyLoader() once.":
    "plotly.js не загружен в эту страницу: один раз покажите plotlyLoader() из gradlab.",
  // src/display/plots.ts's errors
  "expected a range [a, b] with a < b, got [{a}, {b}]": "ожидался диапазон [a, b] с a < b, получено [{a}, {b}]",
  "expected at least 2 points, got {n}": "ожидалось не меньше 2 точек, получено {n}",
  "expected a function, got {type}": "ожидалась функция, получено {type}",
};
