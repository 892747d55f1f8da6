/** @file `exp` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { exp } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "exp",
  op: exp,
  reference: Math.exp,
  derivative: Math.exp,
});
