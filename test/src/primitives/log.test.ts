/** @file `log` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { log } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "log",
  op: log,
  reference: Math.log,
  derivative: (v) => 1 / v,
  domain: (v) => Math.abs(v) + 0.5,
});
