/** @file `tanh` primitive: the shared unary suite (forward, derivatives at ranks 0-2, closed-form gradient, NaN). */
import { tanh } from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({
  name: "tanh",
  op: tanh,
  reference: Math.tanh,
  derivative: (v) => 1 - Math.tanh(v) ** 2,
});
