import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Prettier (.prettierrc.json, .prettierignore) keeps one shape for the TypeScript, JSON and CSS: `pnpm format` writes it.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const prettierBin = join(root, "node_modules", ".bin", "prettier");
const prettier = (cwd: string, args: string[]) => {
  const run = spawnSync(prettierBin, args, { cwd, encoding: "utf8", timeout: 280_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
};

describe("format (prettier)", () => {
  const fixture = mkdtempSync(join(tmpdir(), "ark-prettier-"));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it("names a badly formatted file and writes it into shape (fixture)", () => {
    cpSync(join(root, ".prettierrc.json"), join(fixture, ".prettierrc.json"));
    writeFileSync(join(fixture, "bad.ts"), "export const answer = {a:1,\n  b : 'two'}\n");
    const check = prettier(fixture, ["--check", "bad.ts"]);
    expect(check.status).not.toBe(0);
    expect(check.output).toContain("bad.ts");
    expect(prettier(fixture, ["--write", "bad.ts"]).status).toBe(0);
    expect(readFileSync(join(fixture, "bad.ts"), "utf8")).toBe('export const answer = { a: 1, b: "two" };\n');
  });

  it("this repository is formatted (run `pnpm format` to fix)", () => {
    const { status, output } = prettier(root, ["--list-different", "."]);
    expect(output.trim()).toBe("");
    expect(status).toBe(0);
  }, 300_000);
});
