import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// knip (configured in knip.json) finds dependencies no source imports, and exports and files nothing uses.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const knipBin = join(root, "node_modules", ".bin", "knip");
const knip = (directory: string) => {
  const run = spawnSync(knipBin, ["--no-progress", "--no-config-hints", "--directory", directory], { encoding: "utf8", timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
};

describe("unused dependencies, exports and files (knip)", () => {
  const fixture = mkdtempSync(join(tmpdir(), "ark-knip-"));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it("fails on a dependency nothing imports, an export nothing uses and a file nothing reaches (fixture)", () => {
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ name: "fixture", private: true, type: "module", exports: { ".": "./src/index.ts" }, dependencies: { "left-pad": "1.3.0" } }),
      "knip.json": "{}",
      "src/index.ts": 'export { used } from "./a.js";\n',
      "src/a.ts": "export const used = 1;\nexport const forgotten = 2;\n",
      "src/orphan.ts": "export const nobody = 3;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
    const { status, output } = knip(fixture);
    expect(status).not.toBe(0);
    expect(output).toMatch(/Unused dependencies[\s\S]*left-pad/);
    expect(output).toMatch(/Unused exports[\s\S]*forgotten\s+src\/a\.ts/);
    expect(output).toMatch(/Unused files[\s\S]*src\/orphan\.ts/);
  });

  it("this repository has none", () => {
    const { status, output } = knip(root);
    expect(output.trim()).toBe("");
    expect(status).toBe(0);
  }, 120_000);
});
