import { lstat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { ArkError } from "@ark/service-kit";
import { isInside } from "../confinement/inside.js";
import { withDir, type VerifiedDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { entriesOf, openSubdir } from "./entries.js";
import { fsError } from "./errors.js";
import { createCharged, openFileIn, READ, settleCharge } from "./open-file.js";
import { tooLarge } from "./read-file.js";

const CHUNK = 64 * 1024;

async function copyFileBetween(ws: Workspace, from: VerifiedDir, fromName: string, to: VerifiedDir, toName: string, userPath: string, maxBytes: number) {
  const source = await openFileIn(ws, from, fromName, READ, userPath);
  try {
    const { size } = await source.stat();
    if (size > maxBytes) throw tooLarge(userPath, size, maxBytes, "copy");
    const target = await createCharged(ws, to, toName, size, userPath);
    try {
      const buffer = Buffer.alloc(CHUNK);
      let position = 0;
      for (;;) {
        const { bytesRead } = await source.read(buffer, 0, CHUNK, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        if (position > maxBytes) throw tooLarge(userPath, position, maxBytes, "copy");
        await target.write(buffer, 0, bytesRead);
      }
      return position;
    } finally {
      // The quota was charged the size seen before copying; record what was written.
      await settleCharge(ws, target, size).finally(() => target.close());
    }
  } finally {
    await source.close();
  }
}

async function copyTree(ws: Workspace, from: VerifiedDir, to: VerifiedDir, prefix: string, userPath: string, maxBytes: number, skipped: string[]) {
  let files = 0;
  for (const entry of await entriesOf(from)) {
    const path = prefix + entry.name;
    if (entry.type === "file") {
      await copyFileBetween(ws, from, entry.name, to, entry.name, userPath, maxBytes);
      files++;
    } else if (entry.type === "directory") {
      const subTo = await ws.makeDir(to, entry.name, userPath);
      const subFrom = await openSubdir(ws, from, entry.name, userPath).catch(async (err: unknown) => {
        await subTo.close();
        throw err;
      });
      try {
        files += await copyTree(ws, subFrom, subTo, `${path}/`, userPath, maxBytes, skipped);
      } finally {
        await Promise.all([subFrom.close(), subTo.close()]);
      }
    } else skipped.push(`${path} (${entry.type})`);
  }
  return files;
}

/** Copies a file, or a directory recursively (symlinks inside are skipped and reported), to a new destination. */
export async function copyInside(ws: Workspace, source: string, destination: string, maxFileBytes: number) {
  const from = await ws.resolve(source, { mustExist: true });
  const to = await ws.resolve(destination);
  if (to.exists) throw new ArkError("CONFLICT", `destination already exists: ${destination}`);
  if (isInside(from.real, to.real)) throw new ArkError("INVALID_INPUT", `cannot copy a directory into itself: ${source} -> ${destination}`);
  const label = `${source} -> ${destination}`;
  try {
    return await withDir(ws.openDir(from.isRoot ? from.real : dirname(from.real), source), async (fromParent) => {
      const dst = await ws.openParent(to, "entry");
      try {
        const isDirectory = from.isRoot || (await lstat(fromParent.at(basename(from.real)))).isDirectory();
        if (!isDirectory) {
          const bytes = await copyFileBetween(ws, fromParent, basename(from.real), dst.dir, dst.name, label, maxFileBytes);
          return { type: "file" as const, files: 1, bytes, skipped: [] as string[] };
        }
        const sourceDir = from.isRoot ? await ws.openDir(from.real, source) : await openSubdir(ws, fromParent, basename(from.real), source);
        try {
          const skipped: string[] = [];
          const targetDir = await ws.makeDir(dst.dir, dst.name, destination);
          try {
            const files = await copyTree(ws, sourceDir, targetDir, "", label, maxFileBytes, skipped);
            return { type: "directory" as const, files, bytes: undefined, skipped };
          } finally {
            await targetDir.close();
          }
        } finally {
          await sourceDir.close();
        }
      } finally {
        await dst.dir.close();
      }
    });
  } catch (err) {
    throw fsError(err, label);
  }
}
