/** @file `neg` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { neg } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "neg",
  op: neg,
  reference: (v) => -v,
  derivative: () => -1,
});
