/** @file The HTML page tests of the gradlab command use the shared Chromium harness; screenshots are CI artifacts. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, type Browser } from "../support/chromium.js";
import { REPO } from "./helpers.js";

/** Where screenshots go (CI artifacts). */
export const SCREENSHOTS = join(REPO, "out", "screenshots");

/** Launches headless Debian Chromium (see test/support/chromium.ts) and makes the screenshot folder. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launch({ width: 1200, height: 900 });
}
