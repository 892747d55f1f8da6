/** @file Headless Debian Chromium through playwright-core for the runner's page tests (never a browser download). */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { REPO } from "./helpers.js";

/** Where screenshots go (CI artifacts). */
export const SCREENSHOTS = join(REPO, "out", "screenshots");

/** Launches /usr/bin/chromium headless with a fresh profile and no network side-services. */
export async function launchChromium(): Promise<BrowserContext> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "gradlab-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
