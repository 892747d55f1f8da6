/** @file Russian translations of the widgets texts, keyed by the English source text (see ../index.ts). */
export const WIDGETS: Readonly<Record<string, string>> = {};
