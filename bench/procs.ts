/**
 * @file The process helpers of test/support/procs.ts under the path test/kernel/interrupt.test.ts
 * imports them from; everything else imports test/support/procs.ts itself.
 */
export * from "../test/support/procs.js";
