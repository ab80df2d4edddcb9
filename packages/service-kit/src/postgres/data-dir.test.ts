import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedDataDir } from "./data-dir.js";

const asRoot = process.getuid?.() === 0;

describe("embeddedDataDir", () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "ark-data-dir-"));
    await chmod(base, 0o755);
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it("is $ARK_HOME/pg where the OS user postgres can reach it", async () => {
    const home = join(base, "open", ".ark");
    expect(await embeddedDataDir(home, join(base, "shared"))).toBe(join(home, "pg"));
  });

  it.runIf(asRoot)("as root under a 0700 directory, is a directory of that ARK_HOME's own under the shared root, the same on every start", async () => {
    const closed = join(base, "closed");
    await mkdir(closed, { mode: 0o700 });
    await chmod(closed, 0o700);
    const shared = join(base, "shared", "pg");
    const first = await embeddedDataDir(join(closed, ".ark"), shared);
    expect(first.startsWith(`${shared}/`)).toBe(true);
    expect(await embeddedDataDir(join(closed, ".ark"), shared)).toBe(first);
    expect(await embeddedDataDir(join(closed, "other", ".ark"), shared)).not.toBe(first);
  });

  it.runIf(asRoot)("keeps a cluster already initialised in $ARK_HOME/pg where it is", async () => {
    const closed = join(base, "closed-with-data");
    await mkdir(join(closed, ".ark", "pg"), { recursive: true });
    await chmod(closed, 0o700);
    await writeFile(join(closed, ".ark", "pg", "PG_VERSION"), "16\n");
    expect(await embeddedDataDir(join(closed, ".ark"), join(base, "shared"))).toBe(join(closed, ".ark", "pg"));
  });
});
