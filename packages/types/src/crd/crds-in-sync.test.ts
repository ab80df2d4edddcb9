import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { arkKinds } from "../kinds/index.js";
import { isGeneratedCrdFile, renderCrdFiles } from "./crd-files.js";

const crdDir = fileURLToPath(new URL("../../../../crds/", import.meta.url));
const fix = "run `pnpm gen:crds` and commit crds/";

describe("crds/ is generated from packages/types", () => {
  const expected = renderCrdFiles(arkKinds);
  const onDisk = readdirSync(crdDir).filter(isGeneratedCrdFile);

  it("has exactly one file per kind", () => {
    const wanted = expected.map((f) => f.fileName).sort();
    const missing = wanted.filter((f) => !onDisk.includes(f));
    const extra = onDisk.filter((f) => !wanted.includes(f));
    const message = `crds/ lacks [${missing.join(", ")}] and has stale [${extra.join(", ")}]: ${fix}`;
    expect(missing.length + extra.length, message).toBe(0);
  });

  for (const { fileName, content } of expected) {
    it(`${fileName} matches the zod schema`, () => {
      const actual = onDisk.includes(fileName) ? readFileSync(join(crdDir, fileName), "utf8") : undefined;
      expect(actual === content, `crds/${fileName} is out of date with packages/types: ${fix}`).toBe(true);
    });
  }
});
