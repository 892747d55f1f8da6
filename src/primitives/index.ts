/**
 * @file The one primitive registry: a mapped type over the `Primitive` enum, so a primitive
 * without a definition (impl + jvp + vjp) is a compile error. Traces look rules up here.
 */
import { Primitive, type PrimitiveTable } from "../core/primitive.js";
import { registerPrimitives } from "../core/trace.js";
import { absDef } from "./abs.js";
import { addDef } from "./add.js";
import { broadcastToDef } from "./broadcast_to.js";
import { choleskyDef } from "./cholesky.js";
import { cosDef } from "./cos.js";
import { detDef } from "./det.js";
import { diagDef } from "./diag.js";
import { divDef } from "./div.js";
import { expDef } from "./exp.js";
import { expm1Def } from "./expm1.js";
import { invDef } from "./inv.js";
import { logDef } from "./log.js";
import { log1pDef } from "./log1p.js";
import { logdetDef } from "./logdet.js";
import { logisticDef } from "./logistic.js";
import { matmulDef } from "./matmul.js";
import { maxDef } from "./max.js";
import { minDef } from "./min.js";
import { mulDef } from "./mul.js";
import { negDef } from "./neg.js";
import { powDef } from "./pow.js";
import { reduceMaxDef } from "./reduce_max.js";
import { reduceSumDef } from "./reduce_sum.js";
import { reshapeDef } from "./reshape.js";
import { signDef } from "./sign.js";
import { sinDef } from "./sin.js";
import { softplusDef } from "./softplus.js";
import { solveDef } from "./solve.js";
import { indexDef } from "./index_.js";
import { sqrtDef } from "./sqrt.js";
import { squareDef } from "./square.js";
import { stackDef } from "./stack.js";
import { subDef } from "./sub.js";
import { tanhDef } from "./tanh.js";
import { transposeDef } from "./transpose.js";

export type { PrimitiveTable } from "../core/primitive.js";

/**
 * The primitive table: impl, jvp and vjp rules of every primitive.
 * @example primitives[Primitive.Exp].impl([tensor(0)], NO_PARAMS).item() // 1
 */
export const primitives: PrimitiveTable = {
  [Primitive.Neg]: negDef,
  [Primitive.Exp]: expDef,
  [Primitive.Log]: logDef,
  [Primitive.Log1p]: log1pDef,
  [Primitive.Expm1]: expm1Def,
  [Primitive.Sin]: sinDef,
  [Primitive.Cos]: cosDef,
  [Primitive.Tanh]: tanhDef,
  [Primitive.Logistic]: logisticDef,
  [Primitive.Softplus]: softplusDef,
  [Primitive.Square]: squareDef,
  [Primitive.Sqrt]: sqrtDef,
  [Primitive.Abs]: absDef,
  [Primitive.Sign]: signDef,
  [Primitive.Add]: addDef,
  [Primitive.Sub]: subDef,
  [Primitive.Mul]: mulDef,
  [Primitive.Div]: divDef,
  [Primitive.Pow]: powDef,
  [Primitive.Max]: maxDef,
  [Primitive.Min]: minDef,
  [Primitive.ReduceSum]: reduceSumDef,
  [Primitive.ReduceMax]: reduceMaxDef,
  [Primitive.Reshape]: reshapeDef,
  [Primitive.BroadcastTo]: broadcastToDef,
  [Primitive.Transpose]: transposeDef,
  [Primitive.MatMul]: matmulDef,
  [Primitive.Diag]: diagDef,
  [Primitive.Stack]: stackDef,
  [Primitive.Index]: indexDef,
  [Primitive.Cholesky]: choleskyDef,
  [Primitive.Inv]: invDef,
  [Primitive.Solve]: solveDef,
  [Primitive.Det]: detDef,
  [Primitive.LogDet]: logdetDef,
};

// `bind` dispatches through this table; it reaches core/ here, so core/ imports no primitive.
registerPrimitives(primitives);
