import picomatch from "picomatch";
import { z } from "zod";
import { withUserDir } from "../fs/entries.js";
import { walk } from "../fs/walk.js";
import { defineTool, PATH_HELP, READ_ONLY } from "./tool.js";

const MAX_DEPTH = 32;
const MAX_VISITED = 20_000;
const GLOB_CHARACTERS = /[*?[\]{}!]/;

function matcher(pattern: string): (path: string, name: string) => boolean {
  if (!GLOB_CHARACTERS.test(pattern)) {
    const needle = pattern.toLowerCase();
    return (_path, name) => name.toLowerCase().includes(needle);
  }
  const isMatch = picomatch(pattern, { dot: true });
  return pattern.includes("/") ? (path) => isMatch(path) : (_path, name) => isMatch(name);
}

export const searchFiles = defineTool({
  name: "search_files",
  title: "Search files",
  description:
    "Find files and directories under a path by glob ('**/*.md', '*.txt': a pattern without / matches names) or, without glob characters, by case-insensitive name substring. Symlinks are not followed. Returns paths relative to the root.",
  inputSchema: {
    path: z.string().default(".").describe(`Where to search. ${PATH_HELP}`),
    pattern: z.string().min(1).describe("Glob, or a plain substring of the name"),
    excludePatterns: z.array(z.string()).default([]).describe("Globs of paths to leave out (e.g. 'node_modules/**')"),
    maxResults: z.number().int().min(1).max(1000).default(200),
  },
  annotations: { ...READ_ONLY, title: "Search files" },
  run: ({ path, pattern, excludePatterns, maxResults }, { ws }) =>
    withUserDir(ws, path, async (dir, display) => {
      const matches = matcher(pattern);
      const excluded = excludePatterns.length > 0 ? picomatch(excludePatterns, { dot: true }) : () => false;
      const prefix = display === "." ? "" : `${display}/`;
      const found: string[] = [];
      const { truncated } = await walk(ws, dir, path, { maxDepth: MAX_DEPTH, maxEntries: MAX_VISITED }, (entry) => {
        if (excluded(entry.path)) return;
        if (matches(entry.path, entry.name)) found.push(`${prefix}${entry.path}${entry.type === "directory" ? "/" : ""}`);
        return found.length < maxResults;
      });
      if (found.length === 0) return truncated ? "No matches (search stopped early: too many entries)" : "No matches found";
      return found.join("\n") + (truncated ? `\n(stopped after ${found.length} results; narrow the search)` : "");
    }),
});
