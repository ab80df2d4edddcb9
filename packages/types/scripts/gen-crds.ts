import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isGeneratedCrdFile, renderCrdFiles, toCustomResourceDefinition } from "../src/crd/index.js";
import { crdProblems } from "../src/crd/crd-validation.js";
import { arkKinds } from "../src/kinds/index.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const crdDir = join(repoRoot, "crds");
const shown = (file: string): string => relative(repoRoot, join(crdDir, file));

const problems = arkKinds.flatMap((def) => crdProblems(toCustomResourceDefinition(def)));
if (problems.length > 0) {
  console.error(`gen:crds: not writing CRDs the API server would reject:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}

mkdirSync(crdDir, { recursive: true });
const files = renderCrdFiles(arkKinds);
for (const { fileName, content } of files) {
  const path = join(crdDir, fileName);
  const unchanged = existsSync(path) && readFileSync(path, "utf8") === content;
  if (!unchanged) writeFileSync(path, content);
  console.log(`${unchanged ? "unchanged" : "wrote    "} ${shown(fileName)}`);
}
const current = new Set(files.map((f) => f.fileName));
for (const fileName of readdirSync(crdDir)) {
  if (isGeneratedCrdFile(fileName) && !current.has(fileName)) {
    rmSync(join(crdDir, fileName));
    console.log(`removed   ${shown(fileName)}`);
  }
}
