/** @file A small argv parser for `gradlab run` and `gradlab check`: positional paths plus typed --flags. */

/** Flag name (without dashes) -> kind of value it takes. */
export type FlagSpec = Record<string, "boolean" | "string" | "number">;

/** Parsed arguments: positionals and the flags given. */
export interface ParsedArgs {
  paths: string[];
  flags: Record<string, string | number | boolean>;
}

/**
 * Parses `argv` against a flag table; `--name=value` and `--name value` both work.
 * Throws "<command>: ..." errors for unknown flags and bad values.
 *
 * @example
 * parseArgs("run", ["nb", "--out", "o", "--html"], { out: "string", html: "boolean" });
 * // { paths: ["nb"], flags: { out: "o", html: true } }
 */
export function parseArgs(command: string, argv: string[], spec: FlagSpec): ParsedArgs {
  const paths: string[] = [];
  const flags: ParsedArgs["flags"] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--") || arg === "--") {
      if (arg !== "--") paths.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) {
      const known = Object.keys(spec)
        .map((k) => `--${k}`)
        .join(", ");
      throw new Error(`${command}: unknown option "--${name}" (expected one of ${known})`);
    }
    if (kind === "boolean") {
      if (eq >= 0) throw new Error(`${command}: --${name} takes no value, got "${arg.slice(eq + 1)}"`);
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("--"))) throw new Error(`${command}: --${name} expects a value, got nothing`);
    if (kind === "number") {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${command}: --${name} expects a positive number, got "${value}"`);
      flags[name] = n;
    } else {
      flags[name] = value;
    }
  }
  return { paths, flags };
}
