import { z } from "zod";
import { copyInside } from "../fs/copy.js";
import { deleteInside } from "../fs/delete.js";
import { fileInfoInside } from "../fs/file-info.js";
import { moveInside } from "../fs/move.js";
import { defineTool, PATH_HELP, READ_ONLY } from "./tool.js";

export const moveFile = defineTool({
  name: "move_file",
  title: "Move or rename",
  description: `Move or rename a file or directory. The destination must not exist. Paths: ${PATH_HELP}`,
  inputSchema: { source: z.string().describe(PATH_HELP), destination: z.string().describe(PATH_HELP) },
  // Never overwrites, but the source path stops existing: not an additive change.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false, title: "Move or rename" },
  async run({ source, destination }, { ws }) {
    await moveInside(ws, source, destination);
    return `Moved ${source} to ${destination}`;
  },
});

export const copyFile = defineTool({
  name: "copy_file",
  title: "Copy",
  description: `Copy a file, or a directory recursively (symlinks inside are skipped), to a destination that must not exist. Paths: ${PATH_HELP}`,
  inputSchema: { source: z.string().describe(PATH_HELP), destination: z.string().describe(PATH_HELP) },
  // Only creates new entries.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false, title: "Copy" },
  async run({ source, destination }, { ws, limits }) {
    const result = await copyInside(ws, source, destination, limits.maxWriteBytes);
    const what = result.type === "file" ? `${result.bytes} bytes` : `${result.files} file(s)`;
    const skipped = result.skipped.length > 0 ? `\nSkipped: ${result.skipped.join(", ")}` : "";
    return `Copied ${source} to ${destination} (${what})${skipped}`;
  },
});

export const deleteFile = defineTool({
  name: "delete_file",
  title: "Delete",
  description: `Delete a file, a symlink (the link, not its target) or a directory (empty, or with recursive: true). Path: ${PATH_HELP}`,
  inputSchema: {
    path: z.string().describe(PATH_HELP),
    recursive: z.boolean().default(false).describe("Delete a non-empty directory and everything in it"),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false, title: "Delete" },
  async run({ path, recursive }, { ws }) {
    const { type, removed } = await deleteInside(ws, path, recursive);
    return type === "directory" && removed > 1 ? `Deleted directory ${path} (${removed} entries)` : `Deleted ${type} ${path}`;
  },
});

export const getFileInfo = defineTool({
  name: "get_file_info",
  title: "File info",
  description: `Metadata of a file, directory or symlink: type, size, created/modified/accessed times, permissions. Path: ${PATH_HELP}`,
  inputSchema: { path: z.string().describe(PATH_HELP) },
  annotations: { ...READ_ONLY, title: "File info" },
  async run({ path }, { ws }) {
    const info = await fileInfoInside(ws, path);
    return Object.entries(info)
      .map(([key, value]) => `${key}: ${String(value)}`)
      .join("\n");
  },
});
