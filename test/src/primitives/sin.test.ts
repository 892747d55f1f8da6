/** @file `sin` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { sin } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "sin",
  op: sin,
  reference: Math.sin,
  derivative: Math.cos,
});
