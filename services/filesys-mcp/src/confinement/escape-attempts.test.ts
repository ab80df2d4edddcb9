import { link, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectInMemory } from "../test-support/mcp-client.js";
import { createSandbox, SECRET, type Sandbox } from "../test-support/sandbox.js";

let sandbox: Sandbox;
let mcp: Awaited<ReturnType<typeof connectInMemory>>;
let before: Record<string, string>;

beforeAll(async () => {
  sandbox = await createSandbox();
  const { root, outside } = sandbox;
  await writeFile(join(root, "inside.txt"), "hello");
  await mkdir(join(root, "sub"));
  await writeFile(join(root, "sub", "file.txt"), "inner");
  await symlink(join(outside, "secret.txt"), join(root, "link-out-file"));
  await symlink(outside, join(root, "link-out-dir"));
  await symlink("../outside", join(root, "link-out-rel"));
  await symlink("chain2", join(root, "chain1"));
  await symlink("link-out-dir", join(root, "chain2"));
  await symlink("../../outside", join(root, "sub", "link-up"));
  await symlink(join(outside, "not-yet.txt"), join(root, "dangling-out"));
  await symlink(join(outside, "newdir"), join(root, "dangling-dir"));
  await symlink("loop2", join(root, "loop1"));
  await symlink("loop1", join(root, "loop2"));
  await link(join(outside, "hard.txt"), join(root, "hardlink.txt"));
  mcp = await connectInMemory(sandbox.ws);
  before = sandbox.snapshot();
});

afterAll(async () => {
  await mcp?.close();
  sandbox?.cleanup();
});

const long = (n: number) => "a".repeat(n);
const overlongPath = Array.from({ length: 700 }, () => "abcdef").join("/");

// [what is tried, tool, arguments, a fragment the refusal must contain]
const attempts: Array<[string, string, Record<string, unknown>, RegExp]> = [
  ["plain ..", "read_file", { path: "../outside/secret.txt" }, /escapes the allowed root/],
  ["nested .. climbing out", "read_file", { path: "sub/../../outside/secret.txt" }, /escapes the allowed root/],
  ["bare ..", "list_directory", { path: ".." }, /escapes the allowed root/],
  ["./.. prefix", "list_directory", { path: "./../outside" }, /escapes the allowed root/],
  ["trailing ../", "tree", { path: "sub/../../" }, /escapes the allowed root/],
  ["absolute path to the outside file", "read_file", { path: "OUTSIDE/secret.txt" }, /absolute path/],
  ["absolute system path", "read_file", { path: "/etc/passwd" }, /absolute path/],
  ["percent-encoded ..", "read_file", { path: "%2e%2e/outside/secret.txt" }, /percent-encoded/],
  ["percent-encoded ../ upper case", "read_file", { path: "%2E%2E%2Foutside%2Fsecret.txt" }, /percent-encoded/],
  ["double-encoded ..", "read_file", { path: "%252e%252e/outside/secret.txt" }, /percent-encoded/],
  ["encoded slash after ..", "read_file", { path: "..%2foutside/secret.txt" }, /percent-encoded/],
  ["NUL byte truncation", "read_file", { path: "inside.txt\u0000/../../outside/secret.txt" }, /NUL byte/],
  ["backslash separators", "read_file", { path: "..\\outside\\secret.txt" }, /backslash/],
  ["drive letter", "write_file", { path: "C:/outside/x.txt", content: "x" }, /drive letter/],
  ["overlong name", "write_file", { path: long(256), content: "x" }, /longer than 255 bytes/],
  ["overlong path", "write_file", { path: overlongPath, content: "x" }, /longer than 4096 bytes/],
  ["symlink to an outside file: read", "read_file", { path: "link-out-file" }, /escapes the allowed root/],
  ["symlink to an outside file: overwrite", "write_file", { path: "link-out-file", content: "pwned" }, /escapes the allowed root/],
  ["symlinked dir: read through it", "read_file", { path: "link-out-dir/secret.txt" }, /escapes the allowed root/],
  ["new file under a symlinked dir", "write_file", { path: "link-out-dir/new.txt", content: "pwned" }, /escapes the allowed root/],
  ["mkdir -p under a symlinked dir", "create_directory", { path: "link-out-dir/a/b" }, /escapes the allowed root/],
  ["relative symlink ../outside", "read_file", { path: "link-out-rel/secret.txt" }, /escapes the allowed root/],
  ["symlink chain leading out", "read_file", { path: "chain1/secret.txt" }, /escapes the allowed root/],
  ["symlink in a subdir climbing out", "read_file", { path: "sub/link-up/secret.txt" }, /escapes the allowed root/],
  ["dangling symlink to a new outside file", "write_file", { path: "dangling-out", content: "pwned" }, /dangling or loops/],
  ["new file under a dangling symlinked dir", "write_file", { path: "dangling-dir/x.txt", content: "pwned" }, /dangling or loops/],
  ["symlink loop", "read_file", { path: "loop1" }, /dangling or loops/],
  ["move a file out with ..", "move_file", { source: "inside.txt", destination: "../outside/moved.txt" }, /escapes the allowed root/],
  ["move a file into a symlinked dir", "move_file", { source: "inside.txt", destination: "link-out-dir/moved.txt" }, /escapes the allowed root/],
  ["move an outside file in", "move_file", { source: "link-out-dir/secret.txt", destination: "stolen.txt" }, /escapes the allowed root/],
  ["move the outward symlink itself", "move_file", { source: "link-out-dir", destination: "sub/moved-link" }, /escapes the allowed root/],
  ["copy an outside file in", "copy_file", { source: "link-out-file", destination: "copy.txt" }, /escapes the allowed root/],
  ["copy a file into a symlinked dir", "copy_file", { source: "inside.txt", destination: "link-out-dir/copied.txt" }, /escapes the allowed root/],
  ["delete through a symlinked dir", "delete_file", { path: "link-out-dir/secret.txt" }, /escapes the allowed root/],
  ["recursive delete of an outward symlink", "delete_file", { path: "link-out-dir", recursive: true }, /escapes the allowed root/],
  ["edit through a symlink", "edit_file", { path: "link-out-file", edits: [{ oldText: "TOP", newText: "PWNED" }] }, /escapes the allowed root/],
  ["edit with ..", "edit_file", { path: "../outside/secret.txt", edits: [{ oldText: "TOP", newText: "PWNED" }] }, /escapes the allowed root/],
  ["list a symlinked dir", "list_directory", { path: "link-out-dir" }, /escapes the allowed root/],
  ["tree of a relative outward symlink", "tree", { path: "link-out-rel" }, /escapes the allowed root/],
  ["search inside a symlinked dir", "search_files", { path: "link-out-dir", pattern: "*" }, /escapes the allowed root/],
  ["info of an outward symlink", "get_file_info", { path: "link-out-file" }, /escapes the allowed root/],
  ["overwrite a hard link to an outside file", "write_file", { path: "hardlink.txt", content: "pwned" }, /hard links/],
  ["edit a hard link to an outside file", "edit_file", { path: "hardlink.txt", edits: [{ oldText: "TOP", newText: "PWNED" }] }, /hard links/],
  ["delete the root", "delete_file", { path: ".", recursive: true }, /root itself/],
  ["move the root", "move_file", { source: ".", destination: "sub/root" }, /root itself/],
];

describe("escape attempts: every one refused, the outside untouched", () => {
  it.each(attempts)("%s (%s)", async (_what, tool, rawArgs, refusal) => {
    const args = JSON.parse(JSON.stringify(rawArgs).replaceAll("OUTSIDE", sandbox.outside)) as Record<string, unknown>;
    const result = await mcp.call(tool, args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(refusal);
    expect(result.text).not.toContain(SECRET);
    // Messages name paths as the caller wrote them, never the server's real paths.
    if (!JSON.stringify(args).includes(sandbox.base)) expect(result.text).not.toContain(sandbox.base);
    expect(sandbox.snapshot()).toEqual(before);
  });

  it("read_multiple_files reports each refused path and leaks nothing", async () => {
    const result = await mcp.call("read_multiple_files", { paths: ["link-out-file", "../outside/secret.txt", "inside.txt"] });
    expect(result.text).toMatch(/link-out-file: Error - path escapes the allowed root/);
    expect(result.text).toMatch(/\.\.\/outside\/secret\.txt: Error - path escapes the allowed root/);
    expect(result.text).toContain("inside.txt:\nhello");
    expect(result.text).not.toContain(SECRET);
    expect(sandbox.snapshot()).toEqual(before);
  });

  it("tree, list and search show outward symlinks as links and never descend into them", async () => {
    const tree = await mcp.call("tree", { path: ".", depth: 5 });
    expect(tree.isError).toBe(false);
    expect(tree.text).toContain('"name": "link-out-dir",\n');
    expect(tree.text).not.toContain("secret.txt");
    const listing = await mcp.call("list_directory", { path: "." });
    expect(listing.text).toContain("[LINK] link-out-dir");
    const search = await mcp.call("search_files", { pattern: "**/secret*" });
    expect(search.text).toBe("No matches found");
    expect(sandbox.snapshot()).toEqual(before);
  });

  it("lookalike dots and a leading ~ are plain names inside the root, not traversal", async () => {
    for (const path of ["．．/outside/secret.txt", "..../outside/secret.txt", "~/secret.txt", "…/secret.txt"]) {
      const result = await mcp.call("read_file", { path });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/no such file or directory/);
    }
    expect(sandbox.snapshot()).toEqual(before);
  });

  it("a symlink that stays inside the root is followed (its real target is checked)", async () => {
    await symlink("sub", join(sandbox.root, "inner-link"));
    expect(await mcp.call("read_file", { path: "inner-link/file.txt" })).toEqual({ isError: false, text: "inner" });
    expect(await mcp.call("write_file", { path: "inner-link/new.txt", content: "via link" })).toMatchObject({ isError: false });
    expect(await mcp.call("read_file", { path: "sub/new.txt" })).toEqual({ isError: false, text: "via link" });
    expect(sandbox.snapshot()).toEqual(before);
  });
});

describe("moving symlinks", () => {
  it("puts back a relative symlink that would lead outside from its new place", async () => {
    await mkdir(join(sandbox.root, "x", "y"), { recursive: true });
    await symlink("../../inside.txt", join(sandbox.root, "x", "y", "rel"));
    const snapshot = sandbox.snapshot();
    const moved = await mcp.call("move_file", { source: "x/y/rel", destination: "rel" });
    expect(moved).toMatchObject({ isError: true, text: expect.stringMatching(/would point outside/) });
    expect(await mcp.call("read_file", { path: "x/y/rel" })).toEqual({ isError: false, text: "hello" });
    expect(sandbox.snapshot()).toEqual(snapshot);
  });
});
