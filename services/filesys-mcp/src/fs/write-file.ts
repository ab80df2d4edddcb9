import type { FileHandle } from "node:fs/promises";
import { ArkError } from "@ark/service-kit";
import type { Workspace } from "../confinement/workspace.js";
import { openForWrite, settleCharge } from "./open-file.js";

export async function replaceContent(handle: FileHandle, data: Buffer): Promise<void> {
  await handle.truncate(0);
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, offset);
    offset += bytesWritten;
  }
}

/** Creates or overwrites a regular file, creating missing parent directories (each checked). */
export async function writeFileInside(ws: Workspace, userPath: string, data: Buffer, maxBytes: number): Promise<{ created: boolean }> {
  if (data.length > maxBytes) {
    throw new ArkError("PAYLOAD_TOO_LARGE", `content too large to write: ${data.length} bytes, the limit is ${maxBytes}`);
  }
  const resolved = await ws.resolve(userPath);
  const { dir, name } = await ws.openParent(resolved, "real");
  try {
    const { handle, created } = await openForWrite(ws, dir, name, data.length, { exists: resolved.exists, userPath });
    try {
      await replaceContent(handle, data);
    } finally {
      await settleCharge(ws, handle, data.length).finally(() => handle.close());
    }
    return { created };
  } finally {
    await dir.close();
  }
}
