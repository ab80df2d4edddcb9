import { lstat, readdir } from "node:fs/promises";
import { VerifiedDir, withDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { fsError } from "./errors.js";

export type EntryType = "file" | "directory" | "symlink" | "other";

export interface Entry {
  name: string;
  type: EntryType;
  size?: number;
}

function typeOf(dirent: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryType {
  if (dirent.isSymbolicLink()) return "symlink";
  if (dirent.isDirectory()) return "directory";
  return dirent.isFile() ? "file" : "other";
}

/** The entries of an open directory, sorted by name; symlinks are reported as such and never followed. */
export async function entriesOf(dir: VerifiedDir, withSizes = false): Promise<Entry[]> {
  const dirents = await readdir(dir.self, { withFileTypes: true });
  const entries: Entry[] = [];
  for (const dirent of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const entry: Entry = { name: dirent.name, type: typeOf(dirent) };
    if (withSizes && entry.type === "file") entry.size = (await lstat(dir.at(dirent.name)).catch(() => undefined))?.size ?? 0;
    entries.push(entry);
  }
  return entries;
}

/** Opens a directory the caller named (following only symlinks that stay inside) and runs `fn` with it. */
export async function withUserDir<T>(ws: Workspace, userPath: string, fn: (dir: VerifiedDir, displayPath: string) => Promise<T>): Promise<T> {
  const resolved = await ws.resolve(userPath, { mustExist: true });
  try {
    return await withDir(ws.openDir(resolved.real, userPath), (dir) => fn(dir, ws.display(resolved.real)));
  } catch (err) {
    throw fsError(err, userPath);
  }
}

/** Opens a subdirectory of an open directory without following a symlink, checked like the first. */
export function openSubdir(ws: Workspace, parent: VerifiedDir, name: string, userPath: string): Promise<VerifiedDir> {
  return VerifiedDir.open(parent.at(name), `${parent.path}/${name}`, ws.rootReal, userPath);
}
