/** @file `abs` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { abs } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "abs",
  op: abs,
  reference: Math.abs,
  derivative: Math.sign,
  domain: (v) => v + Math.sign(v) * 0.1,
});
