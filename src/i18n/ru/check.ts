/** @file Russian translations of the check texts, keyed by the English source text (see ../index.ts). */
export const CHECK: Readonly<Record<string, string>> = {};
