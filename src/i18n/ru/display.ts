/** @file Russian translations of the display texts, keyed by the English source text (see ../index.ts). */
export const DISPLAY: Readonly<Record<string, string>> = {};
