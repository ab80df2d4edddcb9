import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { OS_USER } from "./embedded-postgres.js";
import { ensureOsUser, runningAsRoot, unreachableAncestor } from "./os-user.js";

/** Where clusters go when the OS user postgres cannot reach `$ARK_HOME/pg` (root in a 0700 directory). */
const SHARED_PG_ROOT = "/var/lib/ark/pg";

/**
 * The embedded PostgreSQL's data directory for an ARK_HOME (docs/architecture.md §5): `$ARK_HOME/pg`, unless we
 * run as root and the OS user postgres (PostgreSQL will not run as root) cannot enter a directory above it — a clone
 * in /root, a container's workdir, a `mktemp -d` directory. Then a directory of its own under `sharedRoot`, one per
 * ARK_HOME (named by a hash of its absolute path, so the same checkout finds its data again after a restart), reached
 * through `sharedRoot`'s 0711 parents and owned 0700 by postgres like any cluster. A cluster already initialised in
 * `$ARK_HOME/pg` stays where it is.
 */
export async function embeddedDataDir(arkHome: string, sharedRoot = SHARED_PG_ROOT): Promise<string> {
  const inHome = resolve(arkHome, "pg");
  if (!runningAsRoot() || existsSync(join(inHome, "PG_VERSION"))) return inHome;
  const user = await ensureOsUser(OS_USER);
  await mkdir(resolve(arkHome), { recursive: true });
  if (!(await unreachableAncestor(inHome, user))) return inHome;
  await mkdir(sharedRoot, { recursive: true, mode: 0o711 });
  await chmod(sharedRoot, 0o711);
  return join(sharedRoot, createHash("sha256").update(resolve(arkHome)).digest("hex").slice(0, 16));
}
