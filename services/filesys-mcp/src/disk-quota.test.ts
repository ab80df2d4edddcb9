import { lstatSync, readdirSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { createModes } from "./confinement/create-modes.js";
import { Workspace } from "./confinement/workspace.js";
import { connectInMemory } from "./test-support/mcp-client.js";
import { createSandbox, type Sandbox } from "./test-support/sandbox.js";
import { connect, startServer } from "./test-support/server.js";

const quota = (maxBytes: number, maxFiles: number) => ({
  maxBytes,
  maxFiles,
  scope: "the root",
  bytesSetting: "FILESYS_QUOTA_BYTES",
  filesSetting: "FILESYS_QUOTA_FILES",
});

/** Sizes of the regular files and number of entries under `dir`, as `du` and `find | wc -l` would say. */
function onDisk(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    files++;
    if (entry.isFile()) bytes += lstatSync(join(entry.parentPath, entry.name)).size;
  }
  return { bytes, files };
}

let sandbox: Sandbox | undefined;
afterEach(() => sandbox?.cleanup());

async function quotaSession(maxBytes: number, maxFiles: number, seed?: (root: string) => Promise<void>) {
  sandbox = await createSandbox();
  await seed?.(sandbox.root);
  const ws = await Workspace.open(sandbox.root, { quota: quota(maxBytes, maxFiles), modes: createModes() });
  return { ws, mcp: await connectInMemory(ws), root: sandbox.root };
}

describe("disk quota of the root", () => {
  it("refuses a write beyond the byte quota, naming the quota, and writes nothing", async () => {
    const { mcp, root } = await quotaSession(100, 1000);
    expect(await mcp.call("write_file", { path: "a.txt", content: "x".repeat(60) })).toMatchObject({ isError: false });
    const refused = await mcp.call("write_file", { path: "b.txt", content: "y".repeat(60) });
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe("disk quota exceeded: b.txt needs 60 more bytes, but the root already uses 60 of its 100 bytes (FILESYS_QUOTA_BYTES); delete files to make room");
    expect(readdirSync(root)).toEqual(["a.txt"]);
    expect(await mcp.call("write_file", { path: "b.txt", content: "y".repeat(40) })).toMatchObject({ isError: false });
  });

  it("counts the files already in the root at start", async () => {
    const { mcp } = await quotaSession(1000, 1000, async (root) => {
      await mkdir(join(root, "old"), { recursive: true });
      await writeFile(join(root, "old", "big.bin"), Buffer.alloc(900));
    });
    expect(await mcp.call("write_file", { path: "new.txt", content: "z".repeat(200) })).toMatchObject({
      isError: true,
      text: expect.stringMatching(/needs 200 more bytes, but the root already uses 900 of its 1000 bytes/),
    });
  });

  it("refuses entries beyond the file count quota, directories and missing parents included", async () => {
    const { mcp, root } = await quotaSession(1_000_000, 3, async (root) => {
      await mkdir(root, { recursive: true });
      await writeFile(join(root, "existing.txt"), "");
    });
    expect(await mcp.call("create_directory", { path: "d" })).toMatchObject({ isError: false });
    const deep = await mcp.call("write_file", { path: "d/e/f.txt", content: "" });
    expect(deep).toMatchObject({ isError: true, text: expect.stringMatching(/file count quota exceeded: d\/e\/f.txt needs 1 more entries, but the root already holds 3 of its 3 \(FILESYS_QUOTA_FILES\)/) });
    expect(onDisk(root).files).toBe(3);
    expect(await mcp.call("copy_file", { source: "existing.txt", destination: "copy.txt" })).toMatchObject({ isError: true, text: expect.stringMatching(/FILESYS_QUOTA_FILES/) });
    expect(await mcp.call("delete_file", { path: "existing.txt" })).toMatchObject({ isError: false });
    expect(await mcp.call("write_file", { path: "d/f.txt", content: "" })).toMatchObject({ isError: false });
  });

  it("charges growth only: overwrites and edits by their difference, deletes give space back", async () => {
    const { ws, mcp, root } = await quotaSession(100, 100);
    expect(await mcp.call("write_file", { path: "f.txt", content: "a".repeat(90) })).toMatchObject({ isError: false });
    expect(await mcp.call("write_file", { path: "f.txt", content: `S${"b".repeat(99)}` })).toMatchObject({ isError: false });
    expect(await mcp.call("write_file", { path: "f.txt", content: "c".repeat(101) })).toMatchObject({ isError: true, text: expect.stringMatching(/needs 1 more bytes/) });
    expect(await mcp.call("edit_file", { path: "f.txt", edits: [{ oldText: "S", newText: "S".repeat(31) }] })).toMatchObject({
      isError: true,
      text: expect.stringMatching(/disk quota exceeded: f.txt needs 30 more bytes/),
    });
    expect(await mcp.call("edit_file", { path: "f.txt", edits: [{ oldText: `S${"b".repeat(49)}`, newText: "" }] })).toMatchObject({ isError: false });
    expect(await mcp.call("copy_file", { source: "f.txt", destination: "g.txt" })).toMatchObject({ isError: false });
    expect(await mcp.call("copy_file", { source: "f.txt", destination: "h.txt" })).toMatchObject({ isError: true, text: expect.stringMatching(/FILESYS_QUOTA_BYTES/) });
    expect(await mcp.call("create_directory", { path: "dir/sub" })).toMatchObject({ isError: false });
    expect(await mcp.call("move_file", { source: "g.txt", destination: "dir/sub/g.txt" })).toMatchObject({ isError: false });
    expect(await mcp.call("delete_file", { path: "dir", recursive: true })).toMatchObject({ isError: false });
    expect({ bytes: ws.usage.bytes, files: ws.usage.files }).toEqual(onDisk(root));
    expect(await mcp.call("write_file", { path: "h.txt", content: "d".repeat(50) })).toMatchObject({ isError: false });
    expect({ bytes: ws.usage.bytes, files: ws.usage.files }).toEqual(onDisk(root));
  });

  it("holds under concurrent writes: the quota is never exceeded on disk", async () => {
    const { ws, mcp, root } = await quotaSession(1000, 1000);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => mcp.call("write_file", { path: `dir${i % 3}/f${i % 12}.txt`, content: String(i % 10).repeat(100) })));
    expect(results.filter((r) => r.isError).every((r) => /FILESYS_QUOTA_BYTES/.test(r.text))).toBe(true);
    expect(onDisk(root).bytes).toBeLessThanOrEqual(1000);
    expect({ bytes: ws.usage.bytes, files: ws.usage.files }).toEqual(onDisk(root));
  });
});

describe("modes of created files and directories", () => {
  it("creates files 0600 and directories 0700 (readable by no other user)", async () => {
    const { mcp, root } = await quotaSession(1_000_000, 1000);
    await mcp.call("write_file", { path: "a/b/c.txt", content: "secret" });
    await mcp.call("copy_file", { source: "a", destination: "copy" });
    for (const path of ["a/b/c.txt", "copy/b/c.txt"]) expect(statSync(join(root, path)).mode & 0o777).toBe(0o600);
    for (const path of ["a", "a/b", "copy", "copy/b"]) expect(statSync(join(root, path)).mode & 0o777).toBe(0o700);
  });

  it("creates files 0640 and directories 0750 with the configured group", async () => {
    const gid = process.getgid!();
    const server = await startServer({ FILESYS_GROUP: String(gid) });
    try {
      const { client, call } = await connect(new StreamableHTTPClientTransport(new URL(server.running.mcpUrl)));
      expect(await call("write_file", { path: "shared/report.txt", content: "for the group" })).toMatchObject({ isError: false });
      const file = statSync(join(server.root, "shared/report.txt"));
      expect([file.mode & 0o777, file.gid]).toEqual([0o640, gid]);
      const dir = statSync(join(server.root, "shared"));
      expect([dir.mode & 0o777, dir.gid]).toEqual([0o750, gid]);
      expect(statSync(server.root).mode & 0o777).toBe(0o750);
      await client.close();
    } finally {
      await server.cleanup();
    }
  });
});

describe("quotas through the service's settings", () => {
  it("reads FILESYS_QUOTA_BYTES and counts what the root held before start", async () => {
    const server = await startServer({ FILESYS_QUOTA_BYTES: "1000" }, async (root) => {
      await mkdir(root, { recursive: true });
      await writeFile(join(root, "before.bin"), Buffer.alloc(990));
    });
    try {
      const { client, call } = await connect(new StreamableHTTPClientTransport(new URL(server.running.mcpUrl)));
      expect(await call("write_file", { path: "more.txt", content: "0123456789ab" })).toEqual({
        isError: true,
        text: "disk quota exceeded: more.txt needs 12 more bytes, but the root already uses 990 of its 1000 bytes (FILESYS_QUOTA_BYTES); delete files to make room",
      });
      await client.close();
    } finally {
      await server.cleanup();
    }
  });

  it("gives each session its own quota, and all sessions together the root's", async () => {
    const server = await startServer({
      FILESYS_SESSION_WORKSPACES: "true",
      FILESYS_SESSION_QUOTA_BYTES: "100",
      FILESYS_QUOTA_BYTES: "150",
    });
    try {
      const a = await connect(new StreamableHTTPClientTransport(new URL(server.running.mcpUrl)));
      const b = await connect(new SSEClientTransport(new URL(`${server.running.url}/sse`)));
      expect(await a.call("write_file", { path: "a.txt", content: "a".repeat(100) })).toMatchObject({ isError: false });
      expect(await a.call("write_file", { path: "more.txt", content: "a" })).toMatchObject({
        isError: true,
        text: expect.stringMatching(/but this session's workspace already uses 100 of its 100 bytes \(FILESYS_SESSION_QUOTA_BYTES\)/),
      });
      expect(await b.call("write_file", { path: "b.txt", content: "b".repeat(60) })).toMatchObject({
        isError: true,
        text: expect.stringMatching(/but the root already uses 100 of its 150 bytes \(FILESYS_QUOTA_BYTES\)/),
      });
      expect(await b.call("write_file", { path: "b.txt", content: "b".repeat(50) })).toMatchObject({ isError: false });
      await Promise.all([a.client.close(), b.client.close()]);
    } finally {
      await server.cleanup();
    }
  });
});
