/**
 * @file The public facade of gradlab: re-exports only, no logic.
 *
 * ```ts
 * import { tensor, grad, sum, log1p, exp, matmul } from "gradlab";
 * const A = tensor([[1, 2], [3, 4]]);
 * const f = (x: Tensor) => sum(log1p(exp(matmul(A, x))));
 * grad(f)(tensor([0.1, -0.2])); // sigmoid(A x)^T A
 * ```
 */
// The primitive table registers itself with core/ first, then the ops become Tensor methods.
import "./primitives/index.js";
import "./ops/methods.js";

// --- tensors
export { Tensor, type NestedArray } from "./tensor/tensor.js";
export { GradlabError, errorParts } from "./tensor/errors.js";
export { tensor, asTensor, zeros, ones, full, eye, arange, linspace, type TensorLike } from "./tensor/create.js";
export type { Shape } from "./tensor/shape.js";
export { setPrintOptions, getPrintOptions, resetPrintOptions, type PrintOptions } from "./tensor/print-options.js";
export { Rng, randn, rand, type RandomOptions } from "./random.js";

// --- ops (each a primitive or built from primitives)
export { add, sub, mul, div, pow, maximum, minimum, neg } from "./ops/arith.js";
export { exp, log, log1p, expm1, sin, cos, tanh, sigmoid, sqrt, abs, sign } from "./ops/unary.js";
export { square, relu, softplus } from "./ops/nn.js";
export { sum, mean, max, type Axis } from "./ops/reduce.js";
export { reshape, transpose, broadcastTo, stack, index } from "./ops/shape.js";
export { matmul, dot, outer, diag, trace, inv, solve, det, logdet, cholesky, norm } from "./ops/linalg.js";

// --- transforms
export { grad, valueAndGrad, type GradOf, type GradOptions, type TensorFn } from "./transforms/grad.js";
export { vjp, type Pullback } from "./transforms/vjp.js";
export { jvp } from "./transforms/jvp.js";
export { hvp } from "./transforms/hvp.js";
export { jacfwd, jacrev } from "./transforms/jacobian.js";
export { hessian } from "./transforms/hessian.js";
export { byHand, AutodiffInByHandError } from "./core/byhand.js";

// --- display
export { JUPYTER_DISPLAY, isDisplayable, type MimeBundle } from "./display/mime.js";

// --- visualisation: computational graphs, sweeps, gradcheck, plots, LaTeX
export { traceGraph, graph, backprop, forwardTable, backwardGraph, type GraphFn, type PictureOptions } from "./graph/api.js";
export { paramNames } from "./graph/record.js";
export { vertex } from "./graph/vertex.js";
export { backward, forward } from "./graph/passes.js";
export type { Graph, Vertex, Edge, Value, VertexKind, Constant } from "./graph/types.js";
export { GraphView } from "./graph/view.js";
export { BackpropView, ForwardView } from "./graph/sweeps.js";
export { gradcheck, type GradcheckOptions } from "./check/gradcheck.js";
export { GradcheckReport, type CheckRow } from "./check/report.js";
export { PlotlyFigure, plotlyLoader, PLOTLY_MIME, type FigureSpec } from "./display/plotly.js";
export {
  plot,
  plotFunction,
  plotContour,
  plotLines,
  type Series,
  type FunctionPlotOptions,
  type ContourPlotOptions,
  type LinePlotOptions,
} from "./display/plots.js";
export { latex, graphToLatex, LatexView } from "./graph/latex.js";

// --- optimisation paths (what the gradient-descent / Newton playground draws)
export { descentPath, type DescentPath, type DescentOptions, type DescentMethod, type Fn2 } from "./optim/descent.js";

// --- measuring the memory a computation keeps (notebook 8's memory against size and depth)
export { liveBytes, retainedBytes, bytesAtProbe, memoryUnavailable, type Collection, type MemoryOptions } from "./measure/memory.js";
// --- timing a call on the host's clock (a browser's steps by 0.1 ms)
export { timeMs, clockStepMs, type Clock } from "./measure/time.js";

// --- language of outputs
export { setLanguage, language, tr, trn, type Language } from "./i18n/index.js";

// --- homework checks
export * as homework from "./homework/checks.js";

// --- comms and widgets
export {
  kernelComms,
  COMM_LAYER,
  type Comm,
  type CommLayer,
  type CommMessage,
  type CommData,
  type CommTargetHandler,
} from "./widgets/comm.js";
export { Widget, widgetState, WIDGET_TARGET, WIDGET_VIEW_MIME, type Change, type Observer } from "./widgets/widget.js";
export {
  slider,
  intSlider,
  dropdown,
  checkbox,
  button,
  text,
  hbox,
  vbox,
  Slider,
  Dropdown,
  Checkbox,
  Button,
  Text,
  Box,
  type SliderOptions,
  type DropdownOptions,
} from "./widgets/controls.js";
export { output, Output, bundleOf, type WidgetOutput } from "./widgets/output.js";
export { interact, Interactive } from "./widgets/interact.js";
export { live, type LiveOptions } from "./widgets/live.js";
export { playground, type PlaygroundOptions } from "./widgets/playground.js";
