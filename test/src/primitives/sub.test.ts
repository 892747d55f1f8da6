/** @file `sub` primitive: the shared binary suite (forward, derivatives for every broadcast pattern, errors). */
import { sub } from "gradlab";
import { binarySuite } from "./binary-suite.js";

binarySuite({ name: "sub", op: sub, reference: (a, b) => a - b, partials: () => [1, -1] });
