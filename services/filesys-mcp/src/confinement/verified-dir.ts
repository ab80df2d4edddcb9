import { constants, existsSync } from "node:fs";
import { lstat, open, readlink, realpath, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { ArkError } from "@ark/service-kit";
import { applyCreateModes, type CreateModes } from "./create-modes.js";
import { isInside } from "./inside.js";

// Paths through /proc/self/fd/<dirfd>/ act like openat(): they name the directory we opened and checked, even if
// someone renames or swaps it with a symlink afterwards. Without /proc (macOS) we fall back to re-checked paths.
const procFd = existsSync("/proc/self/fd");

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** Where an open file or directory really is, as the kernel sees it. */
async function actualPathOf(handle: FileHandle, fallback: string): Promise<string> {
  return procFd ? readlink(`/proc/self/fd/${handle.fd}`) : realpath(fallback);
}

export function escapeError(userPath: string): ArkError {
  return new ArkError("FORBIDDEN", `path escapes the allowed root: ${userPath}`);
}

/** Throws unless the opened handle lies inside `rootReal`; closes it first. */
export async function assertHandleInside(handle: FileHandle, fallback: string, rootReal: string, userPath: string): Promise<void> {
  const actual = await actualPathOf(handle, fallback);
  if (!isInside(rootReal, actual)) {
    await handle.close();
    throw escapeError(userPath);
  }
}

/** An open directory checked to lie inside the root; operations name entries relative to it. */
export class VerifiedDir {
  private constructor(
    private readonly handle: FileHandle,
    /** The directory's real path when it was opened (for messages and the no-/proc fallback). */
    readonly path: string,
  ) {}

  /**
   * Opens a directory without following a symlink in its last component and checks where it really is.
   * `location` is a real path or another VerifiedDir's `at(name)`.
   */
  static async open(location: string, realPathHint: string, rootReal: string, userPath: string): Promise<VerifiedDir> {
    let handle: FileHandle;
    try {
      handle = await open(location, DIR_FLAGS);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // With O_DIRECTORY, Linux reports a final symlink as ENOTDIR rather than ELOOP.
      const isLink =
        (code === "ELOOP" || code === "ENOTDIR") &&
        (await lstat(location).then(
          (s) => s.isSymbolicLink(),
          () => false,
        ));
      if (isLink) throw new ArkError("FORBIDDEN", `path refused (a symlink appeared where a directory was checked): ${userPath}`);
      if (code === "ENOTDIR") throw new ArkError("INVALID_INPUT", `not a directory: ${userPath}`, { cause: err });
      if (code === "ENOENT") throw new ArkError("NOT_FOUND", `no such file or directory: ${userPath}`, { cause: err });
      throw err;
    }
    await assertHandleInside(handle, realPathHint, rootReal, userPath);
    return new VerifiedDir(handle, realPathHint);
  }

  /** The directory itself, for readdir. */
  get self(): string {
    return procFd ? `/proc/self/fd/${this.handle.fd}` : this.path;
  }

  /** An entry of this directory; `name` is one path segment. */
  at(name: string): string {
    return join(this.self, name);
  }

  /** Gives a directory we just created its configured mode and group. */
  applyCreateModes(modes: CreateModes): Promise<void> {
    return applyCreateModes(this.handle, modes.dir, modes);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Runs `fn` with the directory open, and closes it whatever happens. */
export async function withDir<T>(dir: Promise<VerifiedDir>, fn: (dir: VerifiedDir) => Promise<T>): Promise<T> {
  const opened = await dir;
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}
