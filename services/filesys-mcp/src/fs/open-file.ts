import { constants } from "node:fs";
import { open, unlink, type FileHandle } from "node:fs/promises";
import { ArkError } from "@ark/service-kit";
import { applyCreateModes } from "../confinement/create-modes.js";
import { assertHandleInside, type VerifiedDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { fsError } from "./errors.js";

// O_NONBLOCK: opening a FIFO someone left in the root must not hang the server.
const SAFE = constants.O_NOFOLLOW | constants.O_NONBLOCK;
export const READ = constants.O_RDONLY | SAFE;
export const READ_WRITE = constants.O_RDWR | SAFE;
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | SAFE;
const WRITE_EXISTING = constants.O_WRONLY | SAFE;

/** Opens `dir/name` without following a final symlink, checks where it really is and that it is a regular file. */
export async function openFileIn(ws: Workspace, dir: VerifiedDir, name: string, flags: number, userPath: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(dir.at(name), flags, ws.modes.file);
  } catch (err) {
    throw fsError(err, userPath);
  }
  await assertHandleInside(handle, `${dir.path}/${name}`, ws.rootReal, userPath);
  if ((flags & constants.O_CREAT) !== 0) {
    await applyCreateModes(handle, ws.modes.file, ws.modes).catch(async (err: unknown) => {
      // Not left behind with other modes than configured (e.g. FILESYS_GROUP names a group we are not in).
      await handle.close();
      await unlink(dir.at(name)).catch(() => undefined);
      throw fsError(err, userPath);
    });
  }
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

/** Creates a file that will hold `size` bytes, charging the quota first (given back if the file is not created). */
export async function createCharged(ws: Workspace, dir: VerifiedDir, name: string, size: number, userPath: string): Promise<FileHandle> {
  ws.usage.reserve(size, 1, userPath);
  try {
    return await openFileIn(ws, dir, name, CREATE_NEW, userPath);
  } catch (err) {
    ws.usage.release(size, 1);
    throw err;
  }
}

/** Charges the growth of an open file from its current size to `size`. */
export async function chargeGrowth(ws: Workspace, handle: FileHandle, size: number, userPath: string): Promise<void> {
  const { size: current } = await handle.stat();
  ws.usage.reserve(size - current, 0, userPath);
}

/** After writing what was charged as `charged` bytes: records the size the file really has. */
export async function settleCharge(ws: Workspace, handle: FileHandle, charged: number): Promise<void> {
  const { size } = await handle.stat();
  ws.usage.release(charged - size, 0);
}

async function openExistingCharged(ws: Workspace, dir: VerifiedDir, name: string, size: number, userPath: string): Promise<FileHandle> {
  const handle = await openFileIn(ws, dir, name, WRITE_EXISTING, userPath);
  try {
    await chargeGrowth(ws, handle, size, userPath);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

/** Opens for writing `size` bytes, creating the file if missing and charging the quota; says whether it was created. */
export async function openForWrite(ws: Workspace, dir: VerifiedDir, name: string, size: number, { exists, userPath }: { exists: boolean; userPath: string }): Promise<{ handle: FileHandle; created: boolean }> {
  // Try what the path looked like first, so overwriting a file near the quota is not charged as a new one.
  if (exists) {
    try {
      return { handle: await openExistingCharged(ws, dir, name, size, userPath), created: false };
    } catch (err) {
      if ((err as ArkError).code !== "NOT_FOUND") throw err;
    }
    return { handle: await createCharged(ws, dir, name, size, userPath), created: true };
  }
  try {
    return { handle: await createCharged(ws, dir, name, size, userPath), created: true };
  } catch (err) {
    if ((err as ArkError).code !== "CONFLICT") throw err;
  }
  return { handle: await openExistingCharged(ws, dir, name, size, userPath), created: false };
}
