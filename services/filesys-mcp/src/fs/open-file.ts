import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { ArkError } from "@ark/service-kit";
import { assertHandleInside, type VerifiedDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { fsError } from "./errors.js";

// O_NONBLOCK: opening a FIFO someone left in the root must not hang the server.
const SAFE = constants.O_NOFOLLOW | constants.O_NONBLOCK;
export const READ = constants.O_RDONLY | SAFE;
export const READ_WRITE = constants.O_RDWR | SAFE;
export const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | SAFE;
export const WRITE_EXISTING = constants.O_WRONLY | SAFE;

/** Opens `dir/name` without following a final symlink, checks where it really is and that it is a regular file. */
export async function openFileIn(ws: Workspace, dir: VerifiedDir, name: string, flags: number, userPath: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(dir.at(name), flags, 0o644);
  } catch (err) {
    throw fsError(err, userPath);
  }
  await assertHandleInside(handle, `${dir.path}/${name}`, ws.rootReal, userPath);
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new ArkError("INVALID_INPUT", `${stats.isDirectory() ? "is a directory" : "not a regular file"}: ${userPath}`);
  }
  // Another name of a hard-linked file may lie outside the root: writing would change it there too.
  if ((flags & (constants.O_WRONLY | constants.O_RDWR)) !== 0 && stats.nlink > 1) {
    await handle.close();
    throw new ArkError("FORBIDDEN", `path refused (a file with ${stats.nlink} hard links may also live outside the root): ${userPath}`);
  }
  return handle;
}

/** Opens for writing, creating the file if missing; says whether it was created. */
export async function openForWrite(ws: Workspace, dir: VerifiedDir, name: string, userPath: string): Promise<{ handle: FileHandle; created: boolean }> {
  try {
    return { handle: await openFileIn(ws, dir, name, CREATE_NEW, userPath), created: true };
  } catch (err) {
    if ((err as ArkError).code !== "CONFLICT") throw err;
  }
  return { handle: await openFileIn(ws, dir, name, WRITE_EXISTING, userPath), created: false };
}
