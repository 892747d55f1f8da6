/** @file `logistic` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { sigmoid } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "logistic",
  op: sigmoid,
  reference: (v) => 1 / (1 + Math.exp(-v)),
  derivative: (v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2,
});
