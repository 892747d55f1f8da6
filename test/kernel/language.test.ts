/**
 * @file The kernel speaks the notebook's language: it starts in the language of the notebook
 * JPY_SESSION_NAME names (as Jupyter Server 2 and VS Code start kernels), `%language` switches it,
 * user code's setLanguage and the magics share one setting, and `gradlab run` tells the kernel the
 * language of the notebook it runs. Also the start-up rules (kernel/node/language.ts) and
 * console.table's headers (kernel/engine/console-table.ts) on their own.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { localizeTable } from "../../kernel/engine/console-table.js";
import { startLanguage } from "../../kernel/node/language.js";
import { gradlab } from "../cli/helpers.js";
import { startJupyterServer, type JupyterServer } from "../support/jupyter-server.js";
import { startKernel, streamText } from "./helpers.js";

type Out = { output_type: string; data?: Record<string, unknown>; ename?: string; evalue?: string; text?: string };
const shown = (outs: readonly Out[]) =>
  outs
    .filter((o) => o.output_type === "display_data" || o.output_type === "execute_result")
    .map((o) => `${String(o.data?.["text/html"] ?? "")}\n${String(o.data?.["text/plain"] ?? "")}`)
    .join("\n");

function notebook(dir: string, name: string, metadata: Record<string, unknown>, sources: string[] = []): string {
  const path = join(dir, name);
  const cells = sources.map((s, k) => ({ id: `c${k}`, cell_type: "code", metadata: {}, source: s, outputs: [], execution_count: null }));
  writeFileSync(
    path,
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "gradlab" }, ...metadata }, cells }),
  );
  return path;
}

describe("the start-up language", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-lang-"));
  const ru = notebook(dir, "ru.ipynb", { language: "ru" });
  notebook(dir, "en.ipynb", {});
  const onlyRu = mkdtempSync(join(tmpdir(), "gradlab-lang-ru-"));
  notebook(onlyRu, "a.ipynb", { gradlab: { lang: "ru" } });
  notebook(onlyRu, "b.ipynb", { language: "ru" });

  it("is the notebook's that JPY_SESSION_NAME names: absolute, relative to the working directory, or its name there", () => {
    expect(startLanguage({ JPY_SESSION_NAME: ru }, "/")).toEqual({ language: "ru", from: ru });
    expect(startLanguage({ JPY_SESSION_NAME: "ru.ipynb" }, dir).language).toBe("ru");
    expect(startLanguage({ JPY_SESSION_NAME: "/elsewhere/ru.ipynb" }, dir).language).toBe("ru");
    expect(startLanguage({ JPY_SESSION_NAME: join(dir, "en.ipynb") }, onlyRu).language).toBe("en");
  });

  it("is GRADLAB_LANGUAGE when that names a language, before the notebook", () => {
    expect(startLanguage({ GRADLAB_LANGUAGE: "en", JPY_SESSION_NAME: ru }, dir)).toEqual({ language: "en", from: "GRADLAB_LANGUAGE" });
    expect(startLanguage({ GRADLAB_LANGUAGE: "ru-RU" }, dir).language).toBe("ru");
    expect(startLanguage({ GRADLAB_LANGUAGE: "fr", JPY_SESSION_NAME: ru }, dir).language).toBe("ru");
  });

  it("without either, is the one language all notebooks of the working directory name, else English", () => {
    expect(startLanguage({}, onlyRu).language).toBe("ru");
    expect(startLanguage({ JPY_SESSION_NAME: join(onlyRu, "gone.ipynb") }, onlyRu).language).toBe("ru");
    expect(startLanguage({}, dir)).toEqual({ language: "en", from: "the default" });
    expect(startLanguage({}, join(dir, "no-such-folder")).language).toBe("en");
  });
});

describe("console.table's headers", () => {
  it("are replaced and their columns widened; the rows stay as Node drew them", () => {
    const node = ["┌─────────┬────────┐", "│ (index) │ Values │", "├─────────┼────────┤", "│ 0       │ 1      │", "└─────────┴────────┘"];
    expect(localizeTable(node.join("\n"), { "(index)": "(индекс)", Values: "Значения" }).split("\n")).toEqual([
      "┌──────────┬──────────┐",
      "│ (индекс) │ Значения │",
      "├──────────┼──────────┤",
      "│ 0        │ 1        │",
      "└──────────┴──────────┘",
    ]);
    expect(localizeTable("no table", { Values: "Значения" })).toBe("no table");
  });
});

describe("a kernel started for a Russian notebook (JPY_SESSION_NAME)", () => {
  let kc: KernelClient;
  const dir = mkdtempSync(join(tmpdir(), "gradlab-lang-kernel-"));
  beforeAll(async () => {
    const path = notebook(dir, "seminar.ipynb", { language: "ru" });
    notebook(dir, "other.ipynb", {}); // the folder alone would say English
    kc = await startKernel({ cwd: dir, env: { JPY_SESSION_NAME: path, GRADLAB_LANGUAGE: "" } });
    const r = await kc.execute(
      [
        'import { tensor, dot, mul, setLanguage, type Tensor } from "gradlab";',
        "const a = tensor([1, -2, 0.5]);",
        "const f = (v: Tensor) => mul(0.5, dot(v, v));",
        "const g = (v: Tensor) => v;",
        "const bad = (v: Tensor) => a;",
        "const x = tensor([0.3, -0.1, 0.7]);",
      ].join("\n"),
    );
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
  });
  afterAll(async () => {
    await kc?.close();
  });

  it("writes %gradcheck's report and verdict in Russian", async () => {
    const ok = await kc.execute("%gradcheck f x --analytic g");
    expect(ok.status).toBe("ok");
    const text = shown(ok.outputs as Out[]);
    expect(text).toContain("ПРОЙДЕНО");
    expect(text).toContain("ваша формула");
    expect(text).not.toMatch(/PASSED|your formula|finite diff/);
    const wrong = await kc.execute("%gradcheck f x --analytic bad");
    expect(wrong.status).toBe("error");
    expect(shown(wrong.outputs as Out[])).toContain("НЕ ПРОЙДЕНО: формула ≠ автодифф.");
    expect(wrong.error?.evalue).toMatch(/^gradcheck f: НЕ ПРОЙДЕНО \(3 сравнения не сошлись, см\. таблицу\)$/);
  });

  it("%language en switches to English; user code's setLanguage and the magics share the setting", async () => {
    const en = await kc.execute("%language en");
    expect(streamText(en.outputs as Out[])).toBe("language: en (English)\n");
    const ok = await kc.execute("%gradcheck f x --analytic g");
    expect(shown(ok.outputs as Out[])).toContain("PASSED");
    const set = await kc.execute('setLanguage("ru");');
    expect(set.status).toBe("ok");
    expect(streamText((await kc.execute("%language")).outputs as Out[])).toBe("язык: ru (русский)\n");
  });

  it("an unknown language is a usage error naming the languages, and the kernel lives on in its language", async () => {
    const r = await kc.execute("%language fr");
    expect(r.status).toBe("error");
    expect(`${r.error?.ename}: ${r.error?.evalue}`).toBe(
      'UsageError: %language: неизвестный язык "fr"; ожидался один из: en, ru (синтаксис: %language [en|ru])',
    );
    const after = await kc.execute("%language");
    expect(after.status).toBe("ok");
    expect(streamText(after.outputs as Out[])).toBe("язык: ru (русский)\n");
  });
});

describe("TypeScript's errors in a Russian kernel", () => {
  let kc: KernelClient;
  beforeAll(async () => {
    kc = await startKernel({ env: { GRADLAB_LANGUAGE: "ru" } });
  });
  afterAll(async () => {
    await kc?.close();
  });

  it("come in TypeScript's Russian, and in English after %language en", async () => {
    const ru = await kc.execute('const n: number = "a";');
    expect(ru.status).toBe("error");
    expect(ru.error?.ename).toBe("TSError");
    expect(ru.error?.evalue).toMatch(/^строка 1:7 - .*[а-я].* \(TS2322\)$/);
    expect(ru.error?.traceback[0]).toBe("TSError: ошибка компиляции TypeScript");
    await kc.execute("%language en");
    const en = await kc.execute('const m: number = "a";');
    expect(en.error?.evalue).toBe("line 1:7 - Type 'string' is not assignable to type 'number'. (TS2322)");
  });
});

describe("gradlab run", () => {
  it("starts the kernel in the language of the notebook it runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-lang-run-"));
    const ru = notebook(dir, "ru.ipynb", { language: "ru" }, ["%language"]);
    const en = notebook(dir, "en.ipynb", {}, ["%language"]);
    const r = await gradlab(["run", ru, en, "--out", join(dir, "out"), "--concurrency", "2"], { env: { GRADLAB_LANGUAGE: "" } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const said = (name: string) => {
      const nb = JSON.parse(readFileSync(join(dir, "out", name), "utf8")) as { cells: { outputs: Out[] }[] };
      return streamText(nb.cells[0].outputs);
    };
    expect(said("ru.ipynb")).toBe("язык: ru (русский)\n");
    expect(said("en.ipynb")).toBe("language: en (English)\n");
  });
});

describe("under Debian's classic Notebook server", () => {
  let server: JupyterServer;
  beforeAll(async () => {
    server = await startJupyterServer();
    const install = await gradlab(["install", "--prefix", server.dir]);
    expect(install.code, install.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("which tells the kernel no notebook path, a kernel in a folder of Russian notebooks speaks Russian", async () => {
    const root = join(server.dir, "root");
    mkdirSync(join(root, "ru"));
    const path = notebook(join(root, "ru"), "seminar.ipynb", { language: "ru" }, [
      "%language",
      "console.log(String(process.env.JPY_SESSION_NAME))",
    ]);
    const out = join(server.dir, "out");
    const r = await gradlab(["run", path, "--server", server.url, "--token", server.token, "--server-root", root, "--out", out], {
      env: { GRADLAB_LANGUAGE: "" },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const nb = JSON.parse(readFileSync(join(out, "seminar.ipynb"), "utf8")) as { cells: { outputs: Out[] }[] };
    expect(streamText(nb.cells[0].outputs)).toBe("язык: ru (русский)\n");
    // Notebook 6 sets no JPY_SESSION_NAME (Jupyter Server 2 would): the folder decided
    expect(streamText(nb.cells[1].outputs)).toBe("undefined\n");
  });
});
