/** @file `mul` primitive: the shared binary suite (forward, derivatives for every broadcast pattern, errors). */
import { mul } from "gradlab";
import { binarySuite } from "./binary-suite.js";

binarySuite({ name: "mul", op: mul, reference: (a, b) => a * b, partials: (a, b) => [b, a] });
