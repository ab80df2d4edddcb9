import { lstat, rename } from "node:fs/promises";
import { ArkError } from "@ark/service-kit";
import type { Workspace } from "../confinement/workspace.js";
import { fsError } from "./errors.js";

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
      const clash = await lstat(dst.dir.at(dst.name)).then(() => true, () => false);
      if (clash) throw new ArkError("CONFLICT", `destination already exists: ${destination}`);
      await rename(src.dir.at(src.name), dst.dir.at(dst.name));
    } finally {
      await dst.dir.close();
    }
  } catch (err) {
    throw fsError(err, `${source} -> ${destination}`);
  } finally {
    await src.dir.close();
  }
}
