import { z } from "zod";
import { createDirectoryInside } from "../fs/create-directory.js";
import { entriesOf, withUserDir, type EntryType } from "../fs/entries.js";
import { walk } from "../fs/walk.js";
import { defineTool, PATH_HELP, READ_ONLY } from "./tool.js";

const LABELS: Record<EntryType, string> = { file: "[FILE]", directory: "[DIR]", symlink: "[LINK]", other: "[OTHER]" };
const TREE_MAX_ENTRIES = 2000;
const LIST_MAX_ENTRIES = 5000;

export const createDirectory = defineTool({
  name: "create_directory",
  title: "Create directory",
  description: `Create a directory and any missing parents; succeeds if it already exists. Path: ${PATH_HELP}`,
  inputSchema: { path: z.string().describe(PATH_HELP) },
  // Only adds directories.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false, title: "Create directory" },
  async run({ path }, { ws }) {
    const { created } = await createDirectoryInside(ws, path);
    return created ? `Created directory ${path}` : `Directory ${path} already exists`;
  },
});

export const listDirectory = defineTool({
  name: "list_directory",
  title: "List directory",
  description: `List a directory's entries, marked [FILE] (with size), [DIR], [LINK] (symlink, not followed) or [OTHER]. Path: ${PATH_HELP}`,
  inputSchema: { path: z.string().default(".").describe(PATH_HELP) },
  annotations: { ...READ_ONLY, title: "List directory" },
  run: ({ path }, { ws }) =>
    withUserDir(ws, path, async (dir) => {
      const entries = await entriesOf(dir, true);
      if (entries.length === 0) return `${path}: (empty directory)`;
      const lines = entries.slice(0, LIST_MAX_ENTRIES).map((e) => `${LABELS[e.type]} ${e.name}${e.size === undefined ? "" : ` (${e.size} bytes)`}`);
      if (entries.length > LIST_MAX_ENTRIES) lines.push(`… and ${entries.length - LIST_MAX_ENTRIES} more entries (use search_files to narrow)`);
      return lines.join("\n");
    }),
});

interface TreeNode {
  name: string;
  type: EntryType;
  children?: TreeNode[];
}

export const tree = defineTool({
  name: "tree",
  title: "Directory tree",
  description: `A JSON tree of a directory (name, type, children) down to a depth; symlinks are shown, never followed. Path: ${PATH_HELP}`,
  inputSchema: {
    path: z.string().default(".").describe(PATH_HELP),
    depth: z.number().int().min(1).max(10).default(3).describe("How many levels (default 3)"),
  },
  annotations: { ...READ_ONLY, title: "Directory tree" },
  run: ({ path, depth }, { ws }) =>
    withUserDir(ws, path, async (dir, display) => {
      const root: TreeNode = { name: display, type: "directory", children: [] };
      const parents: TreeNode[] = [root];
      const { truncated } = await walk(ws, dir, path, { maxDepth: depth, maxEntries: TREE_MAX_ENTRIES }, (entry) => {
        const node: TreeNode = { name: entry.name, type: entry.type, ...(entry.type === "directory" ? { children: [] } : {}) };
        parents.length = entry.depth;
        parents[entry.depth - 1]!.children!.push(node);
        parents.push(node);
      });
      const result = truncated ? { ...root, truncated: `stopped after ${TREE_MAX_ENTRIES} entries` } : root;
      return JSON.stringify(result, null, 2);
    }),
});

export const listAllowedDirectories = defineTool({
  name: "list_allowed_directories",
  title: "List allowed directories",
  description: "The directory this server may access. Every path is relative to it; absolute paths and '..' are refused.",
  inputSchema: {},
  annotations: { ...READ_ONLY, title: "List allowed directories" },
  async run() {
    return "Allowed directories:\n. (the root; use paths relative to it, e.g. 'notes/todo.md')";
  },
});
