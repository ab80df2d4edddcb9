import { mkdir, rename, symlink, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyInside } from "../fs/copy.js";
import { deleteInside } from "../fs/delete.js";
import { moveInside } from "../fs/move.js";
import { readFileInside } from "../fs/read-file.js";
import { writeFileInside } from "../fs/write-file.js";
import { createSandbox, SECRET, type Sandbox } from "../test-support/sandbox.js";
import type { Workspace } from "./workspace.js";

const MiB = 1_048_576;
let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(() => sandbox.cleanup());

/** The workspace, except that each resolve() is followed by `swap`: the race between check and use, made certain. */
function swappingAfterResolve(ws: Workspace, swap: () => Promise<void>): Workspace {
  const patched = Object.create(ws) as Workspace;
  patched.resolve = async (path, options) => {
    const resolved = await ws.resolve(path, options);
    await swap();
    return resolved;
  };
  return patched;
}

/** Replaces `root/name` (a directory) with a symlink to `target`. */
async function replaceDirWithSymlink(name: string, target: string) {
  await rename(join(sandbox.root, name), join(sandbox.root, `${name}.moved`));
  await symlink(target, join(sandbox.root, name));
}

describe("replace-dir-with-symlink between check and use", () => {
  it("write into a directory swapped for an outward symlink is refused", async () => {
    await mkdir(join(sandbox.root, "swap"));
    const before = sandbox.snapshot();
    const ws = swappingAfterResolve(sandbox.ws, () => replaceDirWithSymlink("swap", join(sandbox.outside, "deep")));
    await expect(writeFileInside(ws, "swap/target.txt", Buffer.from("pwned"), MiB)).rejects.toThrow(/symlink appeared|escapes/);
    expect(sandbox.snapshot()).toEqual(before);
  });

  it("read from a directory swapped for an outward symlink is refused", async () => {
    await mkdir(join(sandbox.root, "swap"));
    await writeFile(join(sandbox.root, "swap", "target.txt"), "inside");
    const before = sandbox.snapshot();
    const ws = swappingAfterResolve(sandbox.ws, () => replaceDirWithSymlink("swap", join(sandbox.outside, "deep")));
    await expect(readFileInside(ws, "swap/target.txt", MiB)).rejects.toThrow(/symlink appeared|escapes/);
    expect(sandbox.snapshot()).toEqual(before);
  });

  it("a swapped intermediate directory is caught by where the opened directory really is", async () => {
    await mkdir(join(sandbox.root, "a", "deep"), { recursive: true });
    const before = sandbox.snapshot();
    const ws = swappingAfterResolve(sandbox.ws, () => replaceDirWithSymlink("a", sandbox.outside));
    await expect(writeFileInside(ws, "a/deep/target.txt", Buffer.from("pwned"), MiB)).rejects.toThrow(/escapes the allowed root/);
    await expect(readFileInside(ws, "a/deep/target.txt", MiB)).rejects.toThrow(/escapes the allowed root/);
    expect(sandbox.snapshot()).toEqual(before);
  });

  it("a missing directory that appears as an outward symlink before mkdir is refused", async () => {
    const before = sandbox.snapshot();
    const ws = swappingAfterResolve(sandbox.ws, () => symlink(sandbox.outside, join(sandbox.root, "newdir")));
    await expect(writeFileInside(ws, "newdir/x/y.txt", Buffer.from("pwned"), MiB)).rejects.toThrow(/symlink appeared|escapes/);
    expect(sandbox.snapshot()).toEqual(before);
  });

  it("a file swapped for an outward symlink is not overwritten (O_NOFOLLOW)", async () => {
    await writeFile(join(sandbox.root, "f.txt"), "inside");
    const before = sandbox.snapshot();
    const ws = swappingAfterResolve(sandbox.ws, async () => {
      await unlink(join(sandbox.root, "f.txt"));
      await symlink(join(sandbox.outside, "f.txt"), join(sandbox.root, "f.txt"));
    });
    await expect(writeFileInside(ws, "f.txt", Buffer.from("pwned"), MiB)).rejects.toThrow(/symlink appeared/);
    expect(sandbox.snapshot()).toEqual(before);
  });

  it.each(["move", "copy"] as const)("%s out of a directory swapped after the check is refused", async (operation) => {
    await mkdir(join(sandbox.root, "m"));
    await writeFile(join(sandbox.root, "m", "target.txt"), "inside");
    let swapped = false;
    const ws = swappingAfterResolve(sandbox.ws, async () => {
      if (swapped) return;
      swapped = true;
      await replaceDirWithSymlink("m", join(sandbox.outside, "deep"));
    });
    const before = sandbox.snapshot();
    const run = operation === "move" ? moveInside(ws, "m/target.txt", "stolen.txt") : copyInside(ws, "m/target.txt", "stolen.txt", MiB);
    await expect(run).rejects.toThrow(/symlink appeared|escapes/);
    expect(sandbox.snapshot()).toEqual(before);
    expect(await readFileInside(sandbox.ws, "stolen.txt", MiB).catch(() => undefined)).toBeUndefined();
  });

  it("recursive delete of a directory swapped for an outward symlink removes only the link", async () => {
    await mkdir(join(sandbox.root, "victim"));
    await writeFile(join(sandbox.root, "victim", "x.txt"), "x");
    const before = sandbox.snapshot();
    const ws = swappingAfterResolve(sandbox.ws, () => replaceDirWithSymlink("victim", sandbox.outside));
    await deleteInside(ws, "victim", true).catch(() => undefined);
    expect(sandbox.snapshot()).toEqual(before);
  });
});

describe("a directory flipping between real and outward symlink while tools run", () => {
  it("never writes outside and never returns outside content", async () => {
    const flip = join(sandbox.root, "flip");
    await mkdir(flip);
    const before = sandbox.snapshot();
    let running = true;
    let flips = 0;
    const flipper = (async () => {
      // Each step may lose a race with the tools (which can recreate "flip" as a directory): tolerate that.
      const attempt = (step: Promise<unknown>) => step.catch(() => undefined);
      while (running) {
        await attempt(rename(flip, `${flip}.real`));
        await attempt(symlink(sandbox.outside, flip));
        await new Promise((resolve) => setImmediate(resolve));
        await attempt(unlink(flip));
        await attempt(rename(`${flip}.real`, flip));
        flips++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const outcomes = { written: 0, read: 0, refused: 0 };
    for (let i = 0; i < 150; i++) {
      await writeFileInside(sandbox.ws, "flip/f.txt", Buffer.from(`inside ${i}`), MiB).then(
        () => outcomes.written++,
        () => outcomes.refused++,
      );
      await readFileInside(sandbox.ws, "flip/f.txt", MiB).then(
        (data) => {
          expect(data.toString()).not.toContain(SECRET);
          outcomes.read++;
        },
        () => outcomes.refused++,
      );
    }
    running = false;
    await flipper;
    expect(flips).toBeGreaterThan(0);
    expect(outcomes.written + outcomes.read + outcomes.refused).toBe(300);
    expect(sandbox.snapshot()).toEqual(before);
  });
});
