/** @file Russian translations of the magics texts, keyed by the English source text (see ../index.ts). */
export const MAGICS: Readonly<Record<string, string>> = {};
