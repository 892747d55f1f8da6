/** @file The Chromium launcher of test/support/chromium.ts under the path test/cli/ imports it from. */
export * from "../support/chromium.js";
