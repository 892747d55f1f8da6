/** @file `log1p` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { log1p } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "log1p",
  op: log1p,
  reference: Math.log1p,
  derivative: (v) => 1 / (1 + v),
  domain: (v) => Math.abs(v) - 0.5,
});
