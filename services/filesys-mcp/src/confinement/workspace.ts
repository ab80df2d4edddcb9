import { mkdir, realpath } from "node:fs/promises";
import { basename, dirname, relative, sep } from "node:path";
import { ArkError } from "@ark/service-kit";
import { createModes, type CreateModes } from "./create-modes.js";
import { countUsage, DiskUsage, type QuotaLimits } from "./disk-usage.js";
import { isInside } from "./inside.js";
import { resolveInsideRoot, type ResolveOptions, type ResolvedPath } from "./resolve.js";
import { VerifiedDir } from "./verified-dir.js";

export interface WorkspaceOptions {
  quota: QuotaLimits;
  modes: CreateModes;
}

/** Used where no quota is configured (tests, tools built on a Workspace directly). */
const UNLIMITED: QuotaLimits = {
  maxBytes: Number.MAX_SAFE_INTEGER,
  maxFiles: Number.MAX_SAFE_INTEGER,
  scope: "the root",
  bytesSetting: "FILESYS_QUOTA_BYTES",
  filesSetting: "FILESYS_QUOTA_FILES",
};

/** A root directory every tool call is confined to (the service root, or one session's subfolder). */
export class Workspace {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly rootReal: string,
    /** What this workspace holds, counted at open and kept by every tool that creates, grows or deletes. */
    readonly usage: DiskUsage,
    readonly modes: CreateModes,
  ) {}

  /** Creates the directory if needed, pins its real path and counts what it already holds. */
  static async open(root: string, options: WorkspaceOptions = { quota: UNLIMITED, modes: createModes() }): Promise<Workspace> {
    await mkdir(root, { recursive: true, mode: options.modes.dir });
    const rootReal = await realpath(root);
    return new Workspace(rootReal, DiskUsage.of(options.quota, await countUsage(rootReal)), options.modes);
  }

  /** A subfolder as its own workspace (per-session workspaces) with its own quota, also charged to this one. */
  async child(name: string, quota: QuotaLimits): Promise<Workspace> {
    const dir = await this.ensureDir(await this.resolve(name));
    await dir.close();
    return new Workspace(dir.path, DiskUsage.of(quota, await countUsage(dir.path), this.usage), this.modes);
  }

  /** Runs changes one at a time, so a size read before a write is still true when the quota is charged. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Creates `parent/name` (charged to the quota, with the configured mode and group) and opens it, checked. */
  async makeDir(parent: VerifiedDir, name: string, userPath: string, { mayExist = false } = {}): Promise<VerifiedDir> {
    this.usage.reserve(0, 1, userPath);
    let created = true;
    try {
      await mkdir(parent.at(name), this.modes.dir);
    } catch (err) {
      this.usage.release(0, 1);
      if (!mayExist || (err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      created = false;
    }
    const dir = await VerifiedDir.open(parent.at(name), `${parent.path}${sep}${name}`, this.rootReal, userPath);
    if (created) {
      try {
        await dir.applyCreateModes(this.modes);
      } catch (err) {
        await dir.close();
        throw err;
      }
    }
    return dir;
  }

  resolve(userPath: string, options?: ResolveOptions): Promise<ResolvedPath> {
    return resolveInsideRoot(this.rootReal, userPath, options);
  }

  /** A checked real path as the caller would write it ("." for the root). */
  display(real: string): string {
    const rel = relative(this.rootReal, real);
    return rel === "" ? "." : rel.split(sep).join("/");
  }

  openDir(real: string, userPath: string): Promise<VerifiedDir> {
    return VerifiedDir.open(real, real, this.rootReal, userPath);
  }

  /** The parent directory of an entry, opened and checked; the entry is `parent.at(basename(entry))`. */
  async openParent(resolved: ResolvedPath, which: "real" | "entry" = "entry"): Promise<{ dir: VerifiedDir; name: string }> {
    if (resolved.isRoot) throw new ArkError("FORBIDDEN", "the allowed root itself cannot be the target of this operation");
    const path = resolved[which];
    if (!resolved.exists) {
      const dir = await this.ensureDir({ ...resolved, real: dirname(path), missing: resolved.missing.slice(0, -1) });
      return { dir, name: basename(path) };
    }
    return { dir: await this.openDir(dirname(path), resolved.userPath), name: basename(path) };
  }

  /** Opens `resolved.real` as a directory, creating the missing ones one at a time, each checked before the next. */
  async ensureDir(resolved: Pick<ResolvedPath, "real" | "exists" | "existingDir" | "missing" | "userPath">): Promise<VerifiedDir> {
    if (resolved.exists || resolved.missing.length === 0) return this.openDir(resolved.real, resolved.userPath);
    let dir = await this.openDir(resolved.existingDir, resolved.userPath);
    for (const name of resolved.missing) {
      const parent = dir;
      try {
        dir = await this.makeDir(parent, name, resolved.userPath, { mayExist: true });
      } finally {
        await parent.close();
      }
    }
    if (!isInside(this.rootReal, dir.path)) throw new ArkError("FORBIDDEN", `path escapes the allowed root: ${resolved.userPath}`);
    return dir;
  }
}
