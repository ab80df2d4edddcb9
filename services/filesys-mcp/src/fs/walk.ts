import type { VerifiedDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { entriesOf, openSubdir, type Entry } from "./entries.js";

export interface WalkLimits {
  maxDepth: number;
  /** Stops after visiting this many entries (the walk says it was truncated). */
  maxEntries: number;
}

export interface WalkedEntry extends Entry {
  /** Relative to the walk's start, with `/`. */
  path: string;
  depth: number;
}

/** Depth-first over a checked directory; symlinked directories are listed, never entered. */
export async function walk(ws: Workspace, start: VerifiedDir, userPath: string, limits: WalkLimits, visit: (entry: WalkedEntry) => boolean | void): Promise<{ truncated: boolean }> {
  let visited = 0;
  let truncated = false;
  async function visitDir(dir: VerifiedDir, prefix: string, depth: number): Promise<void> {
    for (const entry of await entriesOf(dir)) {
      if (truncated) return;
      if (++visited > limits.maxEntries) {
        truncated = true;
        return;
      }
      const walked: WalkedEntry = { ...entry, path: prefix + entry.name, depth };
      const stop = visit(walked) === false;
      if (stop) {
        truncated = true;
        return;
      }
      if (entry.type === "directory" && depth < limits.maxDepth) {
        const sub = await openSubdir(ws, dir, entry.name, userPath).catch(() => undefined);
        if (!sub) continue;
        try {
          await visitDir(sub, `${walked.path}/`, depth + 1);
        } finally {
          await sub.close();
        }
      }
    }
  }
  await visitDir(start, "", 1);
  return { truncated };
}
