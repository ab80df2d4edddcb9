import type { FileHandle } from "node:fs/promises";

/** Modes (and group) of what the tools create: private to the server's user, or shared read-only with one group. */
export interface CreateModes {
  file: number;
  dir: number;
  /** Created entries are given this group (the server must belong to it). */
  gid?: number;
}

export function createModes(gid?: number): CreateModes {
  return gid === undefined ? { file: 0o600, dir: 0o700 } : { file: 0o640, dir: 0o750, gid };
}

/** Sets the exact mode (open/mkdir modes are narrowed by the umask) and the group on a just-created entry. */
export async function applyCreateModes(handle: FileHandle, mode: number, modes: CreateModes): Promise<void> {
  if (modes.gid !== undefined) await handle.chown(-1, modes.gid);
  await handle.chmod(mode);
}
