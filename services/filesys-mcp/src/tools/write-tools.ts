import { z } from "zod";
import { editFileInside } from "../fs/edit-file.js";
import { writeFileInside } from "../fs/write-file.js";
import { defineTool, PATH_HELP } from "./tool.js";

export const writeFile = defineTool({
  name: "write_file",
  title: "Write file",
  description: `Create a file or overwrite it completely with new content; missing parent directories are created. Path: ${PATH_HELP}`,
  inputSchema: {
    path: z.string().describe(PATH_HELP),
    content: z.string().describe("The full new content"),
    encoding: z.enum(["utf8", "base64"]).default("utf8").describe("How content is encoded: utf8 (default) or base64"),
  },
  // Overwrites whatever was there; writing the same content twice changes nothing more.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false, title: "Write file" },
  async run({ path, content, encoding }, { ws, limits }) {
    const data = Buffer.from(content, encoding === "base64" ? "base64" : "utf8");
    const { created } = await writeFileInside(ws, path, data, limits.maxWriteBytes);
    return `${created ? "Created" : "Overwrote"} ${path} (${data.length} bytes)`;
  },
});

export const editFile = defineTool({
  name: "edit_file",
  title: "Edit file",
  description: `Replace exact text in a UTF-8 file. Each edit's oldText must match exactly once (include surrounding lines to make it unique); edits apply in order. Returns a unified diff; dryRun previews it without writing. Path: ${PATH_HELP}`,
  inputSchema: {
    path: z.string().describe(PATH_HELP),
    edits: z.array(z.object({ oldText: z.string().describe("Text to find, exactly"), newText: z.string().describe("Replacement text") })).min(1),
    dryRun: z.boolean().default(false).describe("Only show the diff"),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false, title: "Edit file" },
  async run({ path, edits, dryRun }, { ws, limits }) {
    const { diff, changed } = await editFileInside(ws, path, edits, {
      dryRun,
      maxReadBytes: limits.maxReadBytes,
      maxWriteBytes: limits.maxWriteBytes,
    });
    const summary = !changed ? "No change" : dryRun ? "Dry run, nothing written" : `Edited ${path}`;
    return `${summary}\n\n${diff}`;
  },
});
