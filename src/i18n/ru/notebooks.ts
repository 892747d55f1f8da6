/** @file Russian translations of the notebooks texts, keyed by the English source text (see ../index.ts). */
export const NOTEBOOKS: Readonly<Record<string, string>> = {};
