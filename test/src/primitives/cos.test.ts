/** @file `cos` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { cos } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "cos",
  op: cos,
  reference: Math.cos,
  derivative: (v) => -Math.sin(v),
});
