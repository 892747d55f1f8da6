/** @file `softplus` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { softplus } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "softplus",
  op: softplus,
  reference: (v) => Math.log1p(Math.exp(v)),
  derivative: (v) => 1 / (1 + Math.exp(-v)),
});
