/** @file `expm1` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { expm1 } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "expm1",
  op: expm1,
  reference: Math.expm1,
  derivative: Math.exp,
});
