import { lstat, readdir, rmdir, unlink } from "node:fs/promises";
import { ArkError } from "@ark/service-kit";
import type { VerifiedDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { openSubdir } from "./entries.js";
import { fsError } from "./errors.js";

/** rm -r through checked directory descriptors: a subdirectory swapped for a symlink is never entered. */
async function removeTree(ws: Workspace, parent: VerifiedDir, name: string, userPath: string): Promise<number> {
  const dir = await openSubdir(ws, parent, name, userPath);
  let removed = 0;
  try {
    for (const dirent of await readdir(dir.self, { withFileTypes: true })) {
      if (dirent.isDirectory()) removed += await removeTree(ws, dir, dirent.name, userPath);
      else {
        await unlinkCounted(ws, dir.at(dirent.name));
        removed++;
      }
    }
  } finally {
    await dir.close();
  }
  await rmdir(parent.at(name));
  ws.usage.release(0, 1);
  return removed + 1;
}

/** Unlinks a non-directory and gives its bytes (a regular file's) and its entry back to the quota. */
async function unlinkCounted(ws: Workspace, path: string): Promise<void> {
  const stats = await lstat(path);
  await unlink(path);
  ws.usage.release(stats.isFile() ? stats.size : 0, 1);
}

/** Deletes a file, a symlink (the link itself) or a directory (empty, or with `recursive`). */
export async function deleteInside(ws: Workspace, userPath: string, recursive: boolean): Promise<{ type: string; removed: number }> {
  const resolved = await ws.resolve(userPath, { mustExist: true });
  if (resolved.isRoot) throw new ArkError("FORBIDDEN", "the allowed root itself cannot be deleted");
  const { dir, name } = await ws.openParent(resolved, "entry");
  try {
    const stats = await lstat(dir.at(name));
    if (!stats.isDirectory()) {
      await unlinkCounted(ws, dir.at(name));
      return { type: stats.isSymbolicLink() ? "symlink" : "file", removed: 1 };
    }
    if (!recursive) {
      try {
        await rmdir(dir.at(name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOTEMPTY") {
          throw new ArkError("CONFLICT", `directory not empty: ${userPath} (pass recursive: true to delete it and its contents)`);
        }
        throw err;
      }
      ws.usage.release(0, 1);
      return { type: "directory", removed: 1 };
    }
    return { type: "directory", removed: await removeTree(ws, dir, name, userPath) };
  } catch (err) {
    throw fsError(err, userPath);
  } finally {
    await dir.close();
  }
}
