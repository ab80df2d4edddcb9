import { execFile } from "node:child_process";
import { chown, lstat, readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The ids of an OS user, or undefined when it does not exist. */
async function osUser(name: string): Promise<OsUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

async function chownTree(path: string, user: OsUser): Promise<void> {
  await chown(path, user.uid, user.gid);
  const info = await lstat(path);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await chownTree(join(path, entry), user);
}

/** Gives `dir` (recursively) to `user` unless it already owns it. */
export async function ensureOwnedBy(dir: string, user: OsUser): Promise<void> {
  const info = await stat(dir);
  if (info.uid !== user.uid) await chownTree(dir, user);
}

/** The first ancestor directory of `path` that `user` cannot enter, or undefined when it reaches it. */
export async function unreachableAncestor(path: string, user: OsUser): Promise<string | undefined> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const canEnter = info.uid === user.uid ? info.mode & 0o100 : info.gid === user.gid ? info.mode & 0o010 : info.mode & 0o001;
    if (!canEnter) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Throws naming the first ancestor of `path` that `user` cannot enter; we do not loosen someone's directories. */
export async function assertReachableBy(path: string, user: OsUser): Promise<void> {
  const dir = await unreachableAncestor(path, user);
  if (!dir) return;
  const mode = ((await stat(dir)).mode & 0o777).toString(8);
  throw new Error(`the OS user "${user.name}" that runs PostgreSQL cannot enter ${dir} (mode ${mode}): use a data directory it can reach, or chmod o+x ${dir}`);
}

/** The OS user, created (with a group of its name) when missing, as PostgreSQL's own packages do. */
export async function ensureOsUser(name: string): Promise<OsUser> {
  const existing = await osUser(name);
  if (existing) return existing;
  try {
    await run("groupadd", ["-f", name]);
    await run("useradd", ["-g", name, name]);
  } catch (err) {
    throw new Error(`running as root, PostgreSQL needs the OS user "${name}", which could not be created`, { cause: err });
  }
  const created = await osUser(name);
  if (!created) throw new Error(`the OS user "${name}" was created but cannot be found`);
  return created;
}
