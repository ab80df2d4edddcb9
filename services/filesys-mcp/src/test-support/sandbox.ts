import { createHash } from "node:crypto";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Workspace } from "../confinement/workspace.js";

export const SECRET = "TOP SECRET: outside the root";

export interface Sandbox {
  base: string;
  root: string;
  outside: string;
  ws: Workspace;
  /** Everything under `base` except the root: type, size, mtime, mode, content hash or link target. */
  snapshot(): Record<string, string>;
  cleanup(): void;
}

function describeTree(dir: string, skip: string, into: Record<string, string>): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (path === skip) continue;
    const stats = lstatSync(path);
    const common = `${stats.mode.toString(8)} ${stats.mtimeMs} ${stats.size} ${stats.nlink}`;
    if (stats.isSymbolicLink()) into[path] = `link ${readlinkSync(path)} ${common}`;
    else if (stats.isDirectory()) {
      into[path] = `dir ${common}`;
      describeTree(path, skip, into);
    } else into[path] = `file ${createHash("sha256").update(readFileSync(path)).digest("hex")} ${common}`;
  }
  return into;
}

/** A temp dir holding the root and, next to it, an `outside` dir with sentinel files no tool may touch. */
export async function createSandbox(): Promise<Sandbox> {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "filesys-mcp-")));
  const root = join(base, "root");
  const outside = join(base, "outside");
  await mkdir(join(outside, "deep"), { recursive: true });
  await writeFile(join(outside, "secret.txt"), SECRET);
  await writeFile(join(outside, "f.txt"), SECRET);
  await writeFile(join(outside, "deep", "target.txt"), SECRET);
  await writeFile(join(outside, "hard.txt"), SECRET);
  await mkdir(root);
  const ws = await Workspace.open(root);
  return {
    base,
    root,
    outside,
    ws,
    snapshot: () => describeTree(base, root, {}),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
