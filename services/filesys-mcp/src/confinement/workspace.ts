import { mkdir, realpath } from "node:fs/promises";
import { basename, dirname, relative, sep } from "node:path";
import { ArkError } from "@ark/service-kit";
import { isInside } from "./inside.js";
import { resolveInsideRoot, type ResolveOptions, type ResolvedPath } from "./resolve.js";
import { VerifiedDir } from "./verified-dir.js";

/** A root directory every tool call is confined to (the service root, or one session's subfolder). */
export class Workspace {
  private constructor(readonly rootReal: string) {}

  /** Creates the directory if needed and pins its real path; the root itself may be reached through symlinks. */
  static async open(root: string): Promise<Workspace> {
    await mkdir(root, { recursive: true });
    return new Workspace(await realpath(root));
  }

  /** A subfolder as its own workspace (per-session workspaces); `name` must be a single safe segment. */
  async child(name: string): Promise<Workspace> {
    const dir = await this.ensureDir(await this.resolve(name));
    await dir.close();
    return new Workspace(dir.path);
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
    let real = resolved.existingDir;
    for (const name of resolved.missing) {
      try {
        await mkdir(dir.at(name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
          await dir.close();
          throw err;
        }
      }
      real = `${real}${sep}${name}`;
      const parent = dir;
      try {
        dir = await VerifiedDir.open(parent.at(name), real, this.rootReal, resolved.userPath);
      } finally {
        await parent.close();
      }
    }
    if (!isInside(this.rootReal, dir.path)) throw new ArkError("FORBIDDEN", `path escapes the allowed root: ${resolved.userPath}`);
    return dir;
  }
}
