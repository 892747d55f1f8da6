/** @file Russian translations of the cli texts, keyed by the English source text (see ../index.ts). */
export const CLI: Readonly<Record<string, string>> = {
  "code hidden in the notebook (click to show)": "код скрыт в ноутбуке (нажмите, чтобы показать)",
};
