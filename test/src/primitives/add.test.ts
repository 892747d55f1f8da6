/** @file `add` primitive: the shared binary suite (forward, derivatives for every broadcast pattern, errors). */
import { add } from "gradlab";
import { binarySuite } from "./binary-suite.js";

binarySuite({ name: "add", op: add, reference: (a, b) => a + b, partials: () => [1, 1] });
