/** @file Russian translations of the cli texts, keyed by the English source text (see ../index.ts). */
export const CLI: Readonly<Record<string, string>> = {};
