import { basename, dirname } from "node:path";
import { ArkError } from "@ark/service-kit";
import { createTwoFilesPatch } from "diff";
import { withDir } from "../confinement/verified-dir.js";
import type { Workspace } from "../confinement/workspace.js";
import { chargeGrowth, openFileIn, READ_WRITE, settleCharge } from "./open-file.js";
import { tooLarge } from "./read-file.js";
import { replaceContent } from "./write-file.js";

export interface TextEdit {
  oldText: string;
  newText: string;
}

function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) count++;
  return count;
}

/** Applies exact replacements in order; each `oldText` must occur exactly once in the text at that point. */
function applyEdits(original: string, edits: TextEdit[], userPath: string): string {
  let text = original;
  edits.forEach((edit, index) => {
    if (edit.oldText === "") throw new ArkError("INVALID_INPUT", `edit ${index + 1}: oldText is empty`);
    const count = countOccurrences(text, edit.oldText);
    if (count !== 1) {
      const problem = count === 0 ? "not found" : `found ${count} times; include more context so it matches once`;
      throw new ArkError("INVALID_INPUT", `edit ${index + 1} of ${userPath}: oldText ${problem}`);
    }
    const at = text.indexOf(edit.oldText);
    text = text.slice(0, at) + edit.newText + text.slice(at + edit.oldText.length);
  });
  return text;
}

/** Edits a UTF-8 file through one checked descriptor (read, replace, write back) and returns a unified diff. */
export async function editFileInside(
  ws: Workspace,
  userPath: string,
  edits: TextEdit[],
  { dryRun, maxReadBytes, maxWriteBytes }: { dryRun: boolean; maxReadBytes: number; maxWriteBytes: number },
): Promise<{ diff: string; changed: boolean }> {
  const resolved = await ws.resolve(userPath, { mustExist: true });
  if (resolved.isRoot) throw new ArkError("INVALID_INPUT", `is a directory: ${userPath}`);
  return withDir(ws.openDir(dirname(resolved.real), userPath), async (dir) => {
    const handle = await openFileIn(ws, dir, basename(resolved.real), READ_WRITE, userPath);
    try {
      const { size } = await handle.stat();
      if (size > maxReadBytes) throw tooLarge(userPath, size, maxReadBytes, "edit");
      const original = (await handle.readFile()).toString("utf8");
      const edited = applyEdits(original, edits, userPath);
      const data = Buffer.from(edited, "utf8");
      if (data.length > maxWriteBytes) throw tooLarge(userPath, data.length, maxWriteBytes, "write after editing");
      const diff = createTwoFilesPatch(userPath, userPath, original, edited, "original", dryRun ? "edited (dry run)" : "edited");
      if (!dryRun && edited !== original) {
        await chargeGrowth(ws, handle, data.length, userPath);
        try {
          await replaceContent(handle, data);
        } finally {
          await settleCharge(ws, handle, data.length);
        }
      }
      return { diff, changed: edited !== original };
    } finally {
      await handle.close();
    }
  });
}
