/** @file The `gradlab` command line: one table of subcommands, each a module with `main(argv)`. */

interface Command {
  /** Module (relative to this file, as built) exporting `main(argv: string[]): Promise<number>`. */
  module: string;
  summary: string;
}

/** Every subcommand. Each module is loaded only when its command runs, so `gradlab kernel` starts fast. */
const COMMANDS: Record<string, Command> = {
  kernel: { module: "../kernel/protocol/main.js", summary: "start the Jupyter kernel: gradlab kernel <connection-file>" },
  install: {
    module: "./install/install.js",
    summary: "install the gradlab kernelspec [--user | --prefix DIR | --sys-prefix] [--python PY] [--mem-limit SIZE]",
  },
  uninstall: { module: "./install/uninstall.js", summary: "remove the gradlab kernelspec" },
  run: { module: "./run/command.js", summary: "execute notebooks through the kernel: gradlab run [paths] [--out DIR] [--html] ..." },
  assign: {
    module: "./homework/assign.js",
    summary: "write the student copies of homework sources: gradlab assign SOURCE.ipynb... --out DIR",
  },
  validate: {
    module: "./homework/validate.js",
    summary: "run your homework copy and see which exercises pass: gradlab validate FILE.ipynb",
  },
  check: { module: "./homework/check.js", summary: "grade homework: gradlab check --source DIR_OR_FILES SUBMISSIONS... --out OUT" },
  translate: {
    module: "./translate/command.js",
    summary: "generate the translated notebooks from the English ones: gradlab translate [DIR] [--check]",
  },
  notebooks: {
    module: "./notebooks.js",
    summary: "copy the seminar notebooks and homework into a folder: gradlab notebooks DIR [--lang ru|en] [--force]",
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ["usage: gradlab <command> [options]", "", "commands:", ...lines].join("\n");
}

/** Dispatch `gradlab <command> ...`; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`gradlab: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = (await import(command.module)) as { main(argv: string[]): Promise<number> };
  return mod.main(rest);
}
