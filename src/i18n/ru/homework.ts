/** @file Russian translations of the homework texts, keyed by the English source text (see ../index.ts). */
export const HOMEWORK: Readonly<Record<string, string>> = {};
