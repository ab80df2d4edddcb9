import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sectionCitations, sectionsOf } from "./support/doc-sections.js";

// Comments and docs cite the design by section; a citation must point at a page a clone has, and a section on it.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tracked = execFileSync("git", ["ls-files", "-z", "--", "*.ts", "*.md", "*.yaml", "*.yml", "*.mjs", "Dockerfile", "*/Dockerfile"], { cwd: root })
  .toString()
  .split("\0")
  .filter((file) => file && !file.startsWith("docs/") && existsSync(join(root, file)));

describe("section citations", () => {
  it("finds citations to docs/ and rejects those to documents a clone does not have (fixture)", () => {
    expect(sectionCitations("see docs/architecture.md §7.2 and docs/upstream-compat.md §6.6.")).toEqual([
      { page: "docs/architecture.md", section: "7.2" },
      { page: "docs/upstream-compat.md", section: "6.6" },
    ]);
    // Written escaped, so this file does not cite what it tests against.
    expect(sectionCitations("(ARCHITECTURE \u00a76)")).toEqual([{ page: undefined, section: "6" }]);
    expect(sectionCitations("(upstream \u00a79.2)")).toEqual([{ page: undefined, section: "9.2" }]);
  });

  it("reads a page's numbered sections from its headings and numbered lists (fixture)", () => {
    const sections = sectionsOf("## 7. Departures\n1. first\n2. second\n### 6.7.3 Model targets\n");
    expect([...sections].sort()).toEqual(["6.7.3", "7", "7.1", "7.2"]);
  });

  it("every § in the repository names a page under docs/ and a section that page has", () => {
    const pages = new Map<string, Set<string>>();
    const problems: string[] = [];
    for (const file of tracked) {
      const text = readFileSync(join(root, file), "utf8");
      if (!text.includes("§")) continue;
      for (const { page, section } of sectionCitations(text)) {
        if (!page) {
          problems.push(`${file}: §${section} does not name a page under docs/`);
          continue;
        }
        if (!pages.has(page)) pages.set(page, existsSync(join(root, page)) ? sectionsOf(readFileSync(join(root, page), "utf8")) : new Set());
        if (!pages.get(page)!.has(section)) problems.push(`${file}: ${page} has no §${section}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
