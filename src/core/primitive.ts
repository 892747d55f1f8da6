/**
 * @file The primitive vocabulary: the `Primitive` enum (JAX names), each primitive's parameter
 * type, and `PrimitiveDef`, the contract every file in `src/primitives/` fulfils.
 */
import type { Shape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * Every primitive operation. Values are JAX's snake_case names; they label graph vertices.
 * Adding a member without a definition in `primitives/index.ts` is a compile error.
 * @example Primitive.Exp // "exp"
 */
export enum Primitive {
  Neg = "neg",
  Exp = "exp",
  Log = "log",
  Log1p = "log1p",
  Expm1 = "expm1",
  Sin = "sin",
  Cos = "cos",
  Tanh = "tanh",
  Logistic = "logistic",
  Softplus = "softplus",
  Square = "square",
  Sqrt = "sqrt",
  Abs = "abs",
  Sign = "sign",
  Add = "add",
  Sub = "sub",
  Mul = "mul",
  Div = "div",
  Pow = "pow",
  Max = "max",
  Min = "min",
  ReduceSum = "reduce_sum",
  ReduceMax = "reduce_max",
  Reshape = "reshape",
  BroadcastTo = "broadcast_to",
  Transpose = "transpose",
  MatMul = "matmul",
  Diag = "diag",
  Stack = "stack",
  Index = "index",
  Cholesky = "cholesky",
  Inv = "inv",
  Solve = "solve",
  Det = "det",
  LogDet = "logdet",
}

/** Parameters of primitives that take none. */
export type NoParams = Readonly<Record<string, never>>;

/** The shared empty parameter object (avoids an allocation per call). @example bind(Primitive.Exp, [x], NO_PARAMS) */
export const NO_PARAMS: NoParams = Object.freeze({});

/**
 * Parameter type of each primitive.
 * @example const p: Params[Primitive.ReduceSum] = { axes: [0] };
 */
export interface Params {
  [Primitive.Neg]: NoParams;
  [Primitive.Exp]: NoParams;
  [Primitive.Log]: NoParams;
  [Primitive.Log1p]: NoParams;
  [Primitive.Expm1]: NoParams;
  [Primitive.Sin]: NoParams;
  [Primitive.Cos]: NoParams;
  [Primitive.Tanh]: NoParams;
  [Primitive.Logistic]: NoParams;
  [Primitive.Softplus]: NoParams;
  [Primitive.Square]: NoParams;
  [Primitive.Sqrt]: NoParams;
  [Primitive.Abs]: NoParams;
  [Primitive.Sign]: NoParams;
  [Primitive.Add]: NoParams;
  [Primitive.Sub]: NoParams;
  [Primitive.Mul]: NoParams;
  [Primitive.Div]: NoParams;
  [Primitive.Pow]: NoParams;
  [Primitive.Max]: NoParams;
  [Primitive.Min]: NoParams;
  /** Sorted, unique axes to sum out (they are removed from the shape). */
  [Primitive.ReduceSum]: { readonly axes: readonly number[] };
  /** Sorted, unique axes to maximise over (they are removed from the shape). */
  [Primitive.ReduceMax]: { readonly axes: readonly number[] };
  /** The new shape (same number of entries). */
  [Primitive.Reshape]: { readonly shape: Shape };
  /** The target shape; the input broadcasts to it by numpy rules. */
  [Primitive.BroadcastTo]: { readonly shape: Shape };
  /** A permutation of the axes. */
  [Primitive.Transpose]: { readonly perm: readonly number[] };
  [Primitive.MatMul]: NoParams;
  [Primitive.Diag]: NoParams;
  /** Stacks equally shaped inputs along a new leading axis. */
  [Primitive.Stack]: NoParams;
  /** Position along the leading axis to take. */
  [Primitive.Index]: { readonly index: number };
  [Primitive.Cholesky]: NoParams;
  [Primitive.Inv]: NoParams;
  [Primitive.Solve]: NoParams;
  [Primitive.Det]: NoParams;
  [Primitive.LogDet]: NoParams;
}

/**
 * One primitive, one place: forward kernel, forward-mode rule and reverse-mode rule.
 *
 * Rules are written with differentiable ops (which call `bind`), never with raw loops, so that
 * they can be differentiated again (grad of grad, jvp of grad, ...).
 * @example
 * const exp: PrimitiveDef<Primitive.Exp> = {
 *   doc: "e^x elementwise",
 *   impl: ([x]) => ...,                      // Float64Array loop
 *   jvp: (_p, [xDot], _params, y) => mul(xDot!, y), // d(e^x) = e^x dx
 *   vjp: (yBar, _p, y) => [mul(yBar, y)],
 * };
 */
export interface PrimitiveDef<P extends Primitive> {
  /** One line: what the primitive computes. */
  readonly doc: string;
  /**
   * Forward kernel on concrete tensors: validates shapes/params (errors name the primitive) and
   * loops over Float64Arrays.
   */
  impl(args: readonly Tensor[], params: Params[P]): Tensor;
  /**
   * Forward mode: the output tangent given primal inputs, input tangents (`null` = symbolic
   * zero, never materialised) and the already computed primal output `y`. At least one tangent
   * is non-null. Returns `null` for a zero output tangent.
   */
  jvp(primals: readonly Tensor[], tangents: readonly (Tensor | null)[], params: Params[P], y: Tensor): Tensor | null;
  /**
   * Optional forward-mode fast path when several directions are pushed at once (`jacfwd`):
   * computes what the tangent map shares across directions once (e.g. 1 - tanh^2 x) and
   * returns the linear map applied per direction. Must agree with `jvp`.
   */
  linearize?(primals: readonly Tensor[], params: Params[P], y: Tensor): (tangents: readonly (Tensor | null)[]) => Tensor | null;
  /**
   * Optional forward-mode fast path for one direction: the primal output and its tangent from
   * one kernel call, when the kernel can share work between them (matmul reads a constant
   * matrix once for A x and A xDot). Called only on concrete primals and tangents;
   * returns undefined to decline. Must agree with `impl` and `jvp`.
   */
  implJvp?(primals: readonly Tensor[], tangents: readonly (Tensor | null)[], params: Params[P]): [Tensor, Tensor] | undefined;
  /**
   * Reverse mode: cotangents of the inputs given the output cotangent `yBar`, computed LAZILY:
   * entry i is computed only when `wants[i]` (the input depends on the differentiated
   * variables); other entries are `null`. Each cotangent has its input's shape.
   */
  vjp(yBar: Tensor, primals: readonly Tensor[], y: Tensor, params: Params[P], wants: readonly boolean[]): (Tensor | null)[];
}

/** Every primitive's definition, keyed by the enum. */
export type PrimitiveTable = { readonly [P in Primitive]: PrimitiveDef<P> };
