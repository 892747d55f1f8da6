/** @file `sqrt` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { sqrt } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "sqrt",
  op: sqrt,
  reference: Math.sqrt,
  derivative: (v) => 0.5 / Math.sqrt(v),
  domain: (v) => Math.abs(v) + 0.5,
});
