import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// oxlint (configured in .oxlintrc.json: the correctness category and a few suspicious rules) over the TypeScript.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const oxlintBin = join(root, "node_modules", ".bin", "oxlint");
const oxlint = (cwd: string, paths: string[]) => {
  const args = ["--config", join(cwd, ".oxlintrc.json"), "--format", "unix", "--report-unused-disable-directives-severity", "error", ...paths];
  const run = spawnSync(oxlintBin, args, { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
};

describe("lint (oxlint)", () => {
  const fixture = mkdtempSync(join(tmpdir(), "ark-oxlint-"));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it("flags a file that compares with NaN, reads an unsafe optional chain, and an unused disable comment (fixture)", () => {
    cpSync(join(root, ".oxlintrc.json"), join(fixture, ".oxlintrc.json"));
    writeFileSync(
      join(fixture, "bad.ts"),
      [
        "export function isMissing(value: number): boolean {",
        "  return value === NaN;",
        "}",
        "export function firstName(people?: { name: string }[]): number {",
        "  return (people?.[0] as { name: string }).name.length;",
        "}",
        "// oxlint-disable-next-line no-debugger -- nothing here to disable",
        "export const answer = 42;",
        "",
      ].join("\n"),
    );
    const { status, output } = oxlint(fixture, ["bad.ts"]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/bad\.ts:2:\d+: .*\[Error\/eslint\(use-isnan\)\]/);
    expect(output).toMatch(/bad\.ts:5:\d+: .*\[Error\/eslint\(no-unsafe-optional-chaining\)\]/);
    expect(output).toMatch(/bad\.ts:7:\d+: .*[Uu]nused/);
  });

  it("this repository has no finding", () => {
    const { status, output } = oxlint(root, ["packages", "services", "e2e"]);
    expect(output).not.toMatch(/\[(Error|Warning)/);
    expect(status).toBe(0);
  });
});
