import { lstat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { withDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { fsError } from "./errors.js";

export interface FileInfo {
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  created: string;
  modified: string;
  accessed: string;
  permissions: string;
  /** For a symlink: its real target, relative to the root (links leading outside are refused before this). */
  target?: string;
}

/** Metadata of the entry itself (a symlink is described as a link, with its target). */
export async function fileInfoInside(ws: Workspace, userPath: string): Promise<FileInfo> {
  const resolved = await ws.resolve(userPath, { mustExist: true });
  const parent = resolved.isRoot ? resolved.real : dirname(resolved.entry);
  try {
    return await withDir(ws.openDir(parent, userPath), async (dir) => {
      const location = resolved.isRoot ? dir.self : dir.at(basename(resolved.entry));
      const stats = await lstat(location);
      const type = stats.isSymbolicLink() ? "symlink" : stats.isDirectory() ? "directory" : stats.isFile() ? "file" : "other";
      const info: FileInfo = {
        path: ws.display(resolved.entry),
        type,
        size: stats.size,
        created: stats.birthtime.toISOString(),
        modified: stats.mtime.toISOString(),
        accessed: stats.atime.toISOString(),
        permissions: (stats.mode & 0o777).toString(8).padStart(3, "0"),
      };
      if (type === "symlink") info.target = ws.display(resolved.real);
      return info;
    });
  } catch (err) {
    throw fsError(err, userPath);
  }
}
