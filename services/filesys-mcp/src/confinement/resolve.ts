import { lstat, realpath } from "node:fs/promises";
import { join } from "node:path";
import { ArkError } from "@ark/service-kit";
import { isInside } from "./inside.js";
import { validateUserPath } from "./validate-path.js";
import { escapeError } from "./verified-dir.js";

export interface ResolvedPath {
  /** As the caller wrote it, for messages. */
  userPath: string;
  /** Real path of what the path names (symlinks followed, each checked); for a missing path, where it would be. */
  real: string;
  /** The entry itself: real parent + last name, so a symlink here is the link, not its target. */
  entry: string;
  exists: boolean;
  isRoot: boolean;
  /** The deepest existing directory on the way (real), and the names below it still to create. */
  existingDir: string;
  missing: string[];
}

export interface ResolveOptions {
  mustExist?: boolean;
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Follows the symlink at `path` (which lstat saw) and checks where it leads; dangling and looping links are refused. */
async function followLink(rootReal: string, path: string, userPath: string): Promise<string> {
  let target: string;
  try {
    target = await realpath(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ELOOP") {
      throw new ArkError("FORBIDDEN", `path refused (goes through a symlink that is dangling or loops): ${userPath}`, { cause: err });
    }
    throw err;
  }
  if (!isInside(rootReal, target)) throw escapeError(userPath);
  return target;
}

/**
 * The one way a tool turns a caller's path into a filesystem path: lexical checks, then a walk from the real root
 * that lstat's each segment and follows only symlinks whose real target stays inside the root.
 * A missing tail is allowed (for writes) only below an existing, checked directory.
 */
export async function resolveInsideRoot(rootReal: string, userPath: string, options: ResolveOptions = {}): Promise<ResolvedPath> {
  const segments = validateUserPath(userPath);
  let current = rootReal;
  let entry = rootReal;
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i]!;
    const next = join(current, name);
    let stats;
    try {
      stats = await lstat(next);
    } catch (err) {
      const code = errnoCode(err);
      if (code === "ENOTDIR") throw new ArkError("INVALID_INPUT", `not a directory: ${segments.slice(0, i).join("/")}`, { cause: err });
      if (code !== "ENOENT") throw err;
      if (options.mustExist) throw new ArkError("NOT_FOUND", `no such file or directory: ${userPath}`);
      const missing = segments.slice(i);
      const real = join(current, ...missing);
      return { userPath, real, entry: real, exists: false, isRoot: false, existingDir: current, missing };
    }
    entry = next;
    current = stats.isSymbolicLink() ? await followLink(rootReal, next, userPath) : next;
    if (!isInside(rootReal, current)) throw escapeError(userPath);
  }
  return { userPath, real: current, entry, exists: true, isRoot: segments.length === 0, existingDir: current, missing: [] };
}
