import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { discoverFiles, parseManifests, readManifests } from "./read-manifests.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ark-cli-manifests-"));
  await mkdir(join(dir, "b", "deep"), { recursive: true });
  await writeFile(join(dir, "b", "deep", "z.yml"), "kind: Agent\nmetadata: { name: z }\n");
  await writeFile(join(dir, "a.yaml"), "kind: Agent\nmetadata: { name: a1 }\n---\n---\nkind: Agent\nmetadata: { name: a2 }\n");
  await writeFile(join(dir, "c.json"), JSON.stringify({ kind: "Model", metadata: { name: "m" } }));
  await writeFile(join(dir, "notes.txt"), "not a manifest");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("discoverFiles", () => {
  it("walks directories recursively in name order, keeping .yaml/.yml/.json only", async () => {
    const files = await discoverFiles([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(["a.yaml", join("b", "deep", "z.yml"), "c.json"]);
  });

  it("keeps files and - as given, and refuses a missing path", async () => {
    expect(await discoverFiles([join(dir, "notes.txt"), "-"])).toEqual([join(dir, "notes.txt"), "-"]);
    await expect(discoverFiles([join(dir, "missing")])).rejects.toThrow(/no such file/);
  });
});

describe("parseManifests", () => {
  it("splits multi-document YAML, skipping empty documents", () => {
    const sources = parseManifests("kind: A\n---\n# nothing\n---\nkind: B\n", "f.yaml");
    expect(sources.map((s) => [s.manifest.kind, s.origin])).toEqual([
      ["A", "f.yaml:1"],
      ["B", "f.yaml:3"],
    ]);
  });

  it("spreads the items of a List", () => {
    const sources = parseManifests(JSON.stringify({ kind: "List", items: [{ kind: "A" }, { kind: "B" }] }), "l.json");
    expect(sources.map((s) => s.manifest.kind)).toEqual(["A", "B"]);
  });

  it("names the document of a syntax error or a non-object", () => {
    expect(() => parseManifests("kind: A\n---\n[1, 2]\n", "x.yaml")).toThrow(/x.yaml:2: expected an object/);
    expect(() => parseManifests("a: [\n", "y.yaml")).toThrow(UsageError);
  });

  it("reads stdin for -", async () => {
    const sources = await readManifests(["-", join(dir, "c.json")], async () => "kind: FromStdin\n");
    expect(sources.map((s) => [s.manifest.kind, s.origin.split(":")[0]])).toEqual([
      ["FromStdin", "stdin"],
      ["Model", join(dir, "c.json")],
    ]);
  });
});
