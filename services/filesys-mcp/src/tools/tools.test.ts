import { mkfifo } from "../test-support/mkfifo.js";
import { readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectInMemory } from "../test-support/mcp-client.js";
import { createSandbox, type Sandbox } from "../test-support/sandbox.js";

let sandbox: Sandbox;
let mcp: Awaited<ReturnType<typeof connectInMemory>>;

beforeEach(async () => {
  sandbox = await createSandbox();
  mcp = await connectInMemory(sandbox.ws, { maxReadBytes: 64, maxWriteBytes: 64 });
});
afterEach(async () => {
  await mcp.close();
  sandbox.cleanup();
});

const ok = (text: string | RegExp) => ({ isError: false, text: typeof text === "string" ? text : expect.stringMatching(text) });
const refused = (text: RegExp) => ({ isError: true, text: expect.stringMatching(text) });

describe("write_file and read_file", () => {
  it("creates missing parents, overwrites, and reads back", async () => {
    expect(await mcp.call("write_file", { path: "a/b/c.txt", content: "one" })).toEqual(ok("Created a/b/c.txt (3 bytes)"));
    expect(await mcp.call("write_file", { path: "a/b/c.txt", content: "two" })).toEqual(ok("Overwrote a/b/c.txt (3 bytes)"));
    expect(await mcp.call("read_file", { path: "a/b/c.txt" })).toEqual(ok("two"));
    expect(await readFile(join(sandbox.root, "a/b/c.txt"), "utf8")).toBe("two");
  });

  it("round-trips binary content as base64 and refuses to show it as text", async () => {
    const bytes = Buffer.from([0, 255, 1, 254]).toString("base64");
    expect(await mcp.call("write_file", { path: "bin", content: bytes, encoding: "base64" })).toEqual(ok(/4 bytes/));
    expect(await mcp.call("read_file", { path: "bin", encoding: "base64" })).toEqual(ok(bytes));
    expect(await mcp.call("read_file", { path: "bin" })).toEqual(refused(/not UTF-8 text: bin/));
  });

  it("enforces the read and write limits", async () => {
    expect(await mcp.call("write_file", { path: "big", content: "x".repeat(65) })).toEqual(refused(/65 bytes, the limit is 64/));
    await writeFile(join(sandbox.root, "big"), "x".repeat(100));
    expect(await mcp.call("read_file", { path: "big" })).toEqual(refused(/file too large to read: big is 100 bytes, the limit is 64/));
  });

  it("reports missing files, directories and non-regular files clearly", async () => {
    expect(await mcp.call("read_file", { path: "nope.txt" })).toEqual(refused(/no such file or directory: nope.txt/));
    expect(await mcp.call("read_file", { path: "." })).toEqual(refused(/is a directory/));
    await mkfifo(join(sandbox.root, "pipe"));
    expect(await mcp.call("read_file", { path: "pipe" })).toEqual(refused(/not a regular file: pipe/));
    expect(await mcp.call("write_file", { path: "pipe/x", content: "" })).toEqual(refused(/not a directory/));
  });

  it("read_multiple_files shares one read budget", async () => {
    await writeFile(join(sandbox.root, "a.txt"), "a".repeat(40));
    await writeFile(join(sandbox.root, "b.txt"), "b".repeat(40));
    const result = await mcp.call("read_multiple_files", { paths: ["a.txt", "b.txt", "missing"] });
    expect(result.isError).toBe(false);
    expect(result.text).toContain(`a.txt:\n${"a".repeat(40)}`);
    expect(result.text).toMatch(/b.txt: Error - file too large to read: b.txt is 40 bytes, the limit is 24/);
    expect(result.text).toMatch(/missing: Error - no such file or directory/);
  });
});

describe("edit_file", () => {
  beforeEach(() => writeFile(join(sandbox.root, "e.txt"), "alpha\nbeta\ngamma\n"));

  it("applies exact replacements and returns a unified diff", async () => {
    const result = await mcp.call("edit_file", { path: "e.txt", edits: [{ oldText: "beta", newText: "BETA" }] });
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/^Edited e.txt/);
    expect(result.text).toContain("-beta\n+BETA");
    expect(await readFile(join(sandbox.root, "e.txt"), "utf8")).toBe("alpha\nBETA\ngamma\n");
  });

  it("dry run shows the diff without writing", async () => {
    const result = await mcp.call("edit_file", { path: "e.txt", edits: [{ oldText: "gamma", newText: "G" }], dryRun: true });
    expect(result.text).toMatch(/^Dry run, nothing written/);
    expect(result.text).toContain("+G");
    expect(await readFile(join(sandbox.root, "e.txt"), "utf8")).toBe("alpha\nbeta\ngamma\n");
  });

  it("refuses text that is missing or ambiguous and writes nothing", async () => {
    expect(await mcp.call("edit_file", { path: "e.txt", edits: [{ oldText: "delta", newText: "x" }] })).toEqual(refused(/edit 1 of e.txt: oldText not found/));
    expect(await mcp.call("edit_file", { path: "e.txt", edits: [{ oldText: "a\n", newText: "x" }] })).toEqual(refused(/found 3 times/));
    expect(await mcp.call("edit_file", { path: "e.txt", edits: [{ oldText: "beta", newText: "x".repeat(80) }] })).toEqual(refused(/limit is 64/));
    expect(await readFile(join(sandbox.root, "e.txt"), "utf8")).toBe("alpha\nbeta\ngamma\n");
  });
});

describe("directories", () => {
  it("create_directory is idempotent and refuses to turn a file into a directory", async () => {
    expect(await mcp.call("create_directory", { path: "x/y" })).toEqual(ok("Created directory x/y"));
    expect(await mcp.call("create_directory", { path: "x/y" })).toEqual(ok("Directory x/y already exists"));
    await writeFile(join(sandbox.root, "file"), "");
    expect((await mcp.call("create_directory", { path: "file" })).isError).toBe(true);
  });

  it("list_directory marks files, directories and links", async () => {
    await mcp.call("write_file", { path: "d/f.txt", content: "12345" });
    await mcp.call("create_directory", { path: "d/sub" });
    await symlink("f.txt", join(sandbox.root, "d", "l"));
    expect(await mcp.call("list_directory", { path: "d" })).toEqual(ok("[FILE] f.txt (5 bytes)\n[LINK] l\n[DIR] sub"));
    expect(await mcp.call("list_directory", { path: "d/sub" })).toEqual(ok("d/sub: (empty directory)"));
  });

  it("tree nests children down to the depth asked", async () => {
    await mcp.call("write_file", { path: "t/a/b/c.txt", content: "" });
    const tree = JSON.parse((await mcp.call("tree", { path: "t", depth: 2 })).text);
    expect(tree).toEqual({ name: "t", type: "directory", children: [{ name: "a", type: "directory", children: [{ name: "b", type: "directory", children: [] }] }] });
  });

  it("list_allowed_directories explains relative paths", async () => {
    expect((await mcp.call("list_allowed_directories")).text).toMatch(/relative/);
  });
});

describe("move, copy, delete, info, search", () => {
  beforeEach(async () => {
    await mcp.call("write_file", { path: "src/one.md", content: "1" });
    await mcp.call("write_file", { path: "src/deep/two.md", content: "2" });
    await mcp.call("write_file", { path: "src/three.txt", content: "3" });
  });

  it("move_file renames and refuses to overwrite", async () => {
    expect(await mcp.call("move_file", { source: "src/one.md", destination: "moved/one.md" })).toEqual(ok("Moved src/one.md to moved/one.md"));
    expect(await mcp.call("read_file", { path: "moved/one.md" })).toEqual(ok("1"));
    expect(await mcp.call("move_file", { source: "src/three.txt", destination: "moved/one.md" })).toEqual(refused(/destination already exists/));
    expect(await mcp.call("move_file", { source: "nope", destination: "x" })).toEqual(refused(/no such file/));
  });

  it("copy_file copies files and trees, never onto an existing path or into itself", async () => {
    expect(await mcp.call("copy_file", { source: "src/one.md", destination: "c/one.md" })).toEqual(ok(/1 bytes/));
    expect(await mcp.call("copy_file", { source: "src", destination: "copy" })).toEqual(ok(/3 file\(s\)/));
    expect(await mcp.call("read_file", { path: "copy/deep/two.md" })).toEqual(ok("2"));
    expect(await mcp.call("copy_file", { source: "src", destination: "copy" })).toEqual(refused(/already exists/));
    expect(await mcp.call("copy_file", { source: "src", destination: "src/inner" })).toEqual(refused(/into itself/));
  });

  it("delete_file removes files, empty dirs, and trees only when asked", async () => {
    expect(await mcp.call("delete_file", { path: "src/three.txt" })).toEqual(ok("Deleted file src/three.txt"));
    expect(await mcp.call("delete_file", { path: "src" })).toEqual(refused(/directory not empty: src \(pass recursive: true/));
    expect(await mcp.call("delete_file", { path: "src", recursive: true })).toEqual(ok("Deleted directory src (4 entries)"));
    expect(await mcp.call("list_directory", { path: "." })).toEqual(ok(".: (empty directory)"));
  });

  it("get_file_info describes files and links", async () => {
    await symlink("src/one.md", join(sandbox.root, "ln"));
    const file = (await mcp.call("get_file_info", { path: "src/one.md" })).text;
    expect(file).toMatch(/^path: src\/one.md\ntype: file\nsize: 1\n/);
    expect(file).toMatch(/permissions: \d{3}/);
    const link = (await mcp.call("get_file_info", { path: "ln" })).text;
    expect(link).toMatch(/type: symlink/);
    expect(link).toMatch(/target: src\/one.md/);
  });

  it("search_files matches globs on names or paths, substrings, and excludes", async () => {
    expect(await mcp.call("search_files", { pattern: "*.md" })).toEqual(ok("src/deep/two.md\nsrc/one.md"));
    expect(await mcp.call("search_files", { pattern: "src/*.md" })).toEqual(ok("src/one.md"));
    expect(await mcp.call("search_files", { path: "src", pattern: "THREE" })).toEqual(ok("src/three.txt"));
    expect(await mcp.call("search_files", { pattern: "*.md", excludePatterns: ["src/deep/**"] })).toEqual(ok("src/one.md"));
    expect(await mcp.call("search_files", { pattern: "*.md", maxResults: 1 })).toEqual(ok(/stopped after 1 results/));
  });
});

describe("bad arguments", () => {
  it("come back as error results, not protocol failures", async () => {
    expect((await mcp.call("read_file", {})).isError).toBe(true);
    expect((await mcp.call("write_file", { path: 3, content: "x" })).isError).toBe(true);
  });
});
