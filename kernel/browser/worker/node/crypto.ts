/** @file `node:crypto` in the worker (scripts/build-site.mjs maps it here). */
import { platform } from "#platform";

export function randomUUID(): string {
  const hex = platform.randomId();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export default { randomUUID };
