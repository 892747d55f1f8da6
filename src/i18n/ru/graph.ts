/** @file Russian translations of the graph texts, keyed by the English source text (see ../index.ts). */
export const GRAPH: Readonly<Record<string, string>> = {};
