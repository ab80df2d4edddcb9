import { z } from "zod";
import { ArkError } from "@ark/service-kit";
import { readFileInside } from "../fs/read-file.js";
import { defineTool, PATH_HELP, READ_ONLY } from "./tool.js";

const MAX_FILES = 50;

function decodeUtf8(data: Buffer, userPath: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new ArkError("INVALID_INPUT", `not UTF-8 text: ${userPath} (read it with encoding "base64")`);
  }
}

export const readFile = defineTool({
  name: "read_file",
  title: "Read file",
  description: `Read the complete contents of a file as UTF-8 text (or base64). Files over the read limit are refused. Path: ${PATH_HELP}`,
  inputSchema: {
    path: z.string().describe(PATH_HELP),
    encoding: z.enum(["utf8", "base64"]).default("utf8").describe("utf8 (default) or base64 for binary files"),
  },
  annotations: { ...READ_ONLY, title: "Read file" },
  async run({ path, encoding }, { ws, limits }) {
    const data = await readFileInside(ws, path, limits.maxReadBytes);
    return encoding === "base64" ? data.toString("base64") : decodeUtf8(data, path);
  },
});

export const readMultipleFiles = defineTool({
  name: "read_multiple_files",
  title: "Read multiple files",
  description: `Read several UTF-8 files at once; each file's content follows its path, and a file that cannot be read shows its error instead. Paths: ${PATH_HELP}`,
  inputSchema: { paths: z.array(z.string()).min(1).max(MAX_FILES).describe(`Up to ${MAX_FILES} paths. ${PATH_HELP}`) },
  annotations: { ...READ_ONLY, title: "Read multiple files" },
  async run({ paths }, { ws, limits }) {
    let budget = limits.maxReadBytes;
    const parts: string[] = [];
    for (const path of paths) {
      try {
        if (budget <= 0) throw new ArkError("PAYLOAD_TOO_LARGE", `skipped: the total read limit of ${limits.maxReadBytes} bytes was reached`);
        const data = await readFileInside(ws, path, budget);
        budget -= data.length;
        parts.push(`${path}:\n${decodeUtf8(data, path)}`);
      } catch (err) {
        parts.push(`${path}: Error - ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return parts.join("\n---\n");
  },
});
