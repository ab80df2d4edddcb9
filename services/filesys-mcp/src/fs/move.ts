import { lstat, realpath, rename } from "node:fs/promises";
import { ArkError } from "@ark/service-kit";
import { isInside } from "../confinement/inside.js";
import type { Workspace } from "../confinement/workspace.js";
import { fsError } from "./errors.js";

async function leadsInside(ws: Workspace, path: string): Promise<boolean> {
  const target = await realpath(path).catch(() => undefined);
  return target !== undefined && isInside(ws.rootReal, target);
}

/** Renames an entry (a symlink moves as a link) to a destination that must not exist yet. */
export async function moveInside(ws: Workspace, source: string, destination: string): Promise<void> {
  const from = await ws.resolve(source, { mustExist: true });
  if (from.isRoot) throw new ArkError("FORBIDDEN", "the allowed root itself cannot be moved");
  const to = await ws.resolve(destination);
  if (to.exists) throw new ArkError("CONFLICT", `destination already exists: ${destination}`);
  const src = await ws.openParent(from, "entry");
  try {
    const dst = await ws.openParent(to, "entry");
    try {
      // rename() would replace a destination created since the check; lstat narrows that window.
      const clash = await lstat(dst.dir.at(dst.name)).then(
        () => true,
        () => false,
      );
      if (clash) throw new ArkError("CONFLICT", `destination already exists: ${destination}`);
      const isLink = (await lstat(src.dir.at(src.name))).isSymbolicLink();
      await rename(src.dir.at(src.name), dst.dir.at(dst.name));
      // A relative symlink means something else in its new directory: put it back if it now leads outside.
      if (isLink && !(await leadsInside(ws, dst.dir.at(dst.name)))) {
        await rename(dst.dir.at(dst.name), src.dir.at(src.name));
        throw new ArkError("FORBIDDEN", `path escapes the allowed root: the symlink ${source} would point outside it at ${destination}`);
      }
    } finally {
      await dst.dir.close();
    }
  } catch (err) {
    throw fsError(err, `${source} -> ${destination}`);
  } finally {
    await src.dir.close();
  }
}
