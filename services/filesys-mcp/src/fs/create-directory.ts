import { ArkError } from "@ark/service-kit";
import type { Workspace } from "../confinement/workspace.js";
import { fsError } from "./errors.js";

/** mkdir -p inside the workspace; each created level is checked before the next is made. */
export async function createDirectoryInside(ws: Workspace, userPath: string): Promise<{ created: boolean }> {
  const resolved = await ws.resolve(userPath);
  try {
    const dir = await ws.ensureDir(resolved);
    await dir.close();
  } catch (err) {
    const mapped = fsError(err, userPath);
    if (resolved.exists && mapped.code === "INVALID_INPUT") throw new ArkError("CONFLICT", `exists and is not a directory: ${userPath}`);
    throw mapped;
  }
  return { created: !resolved.exists };
}
