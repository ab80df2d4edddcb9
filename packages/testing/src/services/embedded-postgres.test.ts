import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sweepOrphanedDirs } from "./embedded-postgres.js";

let parent: string | undefined;
afterEach(async () => {
  if (parent) await rm(parent, { recursive: true, force: true });
});

describe("sweepOrphanedDirs", () => {
  it("removes only the temp dirs whose owner process is gone", async () => {
    parent = await mkdtemp(join(tmpdir(), "ark-sweep-test-"));
    const deadPid = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const orphan = join(parent, "ark-test-pg-orphan");
    const live = join(parent, "ark-test-pg-live");
    const unowned = join(parent, "ark-test-pg-unowned");
    const unrelated = join(parent, "something-else");
    for (const dir of [orphan, live, unowned, unrelated]) await mkdir(join(dir, "data"), { recursive: true });
    await writeFile(join(orphan, "owner.pid"), String(deadPid));
    await writeFile(join(orphan, "data", "postmaster.pid"), `${deadPid}\n/whatever\n`);
    await writeFile(join(live, "owner.pid"), String(process.pid));
    await writeFile(join(unrelated, "owner.pid"), String(deadPid));

    expect(await sweepOrphanedDirs(parent)).toEqual([orphan]);
    expect(existsSync(orphan)).toBe(false);
    for (const dir of [live, unowned, unrelated]) expect(existsSync(dir)).toBe(true);
  });
});
