/** @file The kernel's package facts in the worker (scripts/build-site.mjs maps kernel/kernelspec.js here). */
import { PACKAGE_ROOT as ROOT } from "../files.js";

declare const GRADLAB_VERSION: string;

export const PACKAGE_ROOT = ROOT;
export const VERSION: string = GRADLAB_VERSION;
