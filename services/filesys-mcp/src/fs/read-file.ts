import { basename, dirname } from "node:path";
import { ArkError } from "@ark/service-kit";
import { withDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { openFileIn, READ } from "./open-file.js";

export function tooLarge(userPath: string, size: number, limit: number, verb = "read"): ArkError {
  return new ArkError("PAYLOAD_TOO_LARGE", `file too large to ${verb}: ${userPath} is ${size} bytes, the limit is ${limit}`);
}

/** Reads a whole regular file inside the workspace, refusing files over `maxBytes`. */
export async function readFileInside(ws: Workspace, userPath: string, maxBytes: number): Promise<Buffer> {
  const resolved = await ws.resolve(userPath, { mustExist: true });
  if (resolved.isRoot) throw new ArkError("INVALID_INPUT", `is a directory: ${userPath}`);
  return withDir(ws.openDir(dirname(resolved.real), userPath), async (dir) => {
    const handle = await openFileIn(ws, dir, basename(resolved.real), READ, userPath);
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) throw tooLarge(userPath, size, maxBytes);
      // Read at most one byte past the limit: the file may have grown since fstat.
      const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > maxBytes) throw tooLarge(userPath, length, maxBytes);
      return buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  });
}
