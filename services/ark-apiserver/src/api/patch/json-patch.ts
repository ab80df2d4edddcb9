import fastJsonPatch from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import { statusErrors } from "../status.js";

/** RFC 6902 JSON Patch; a failing operation (a `test`, a missing path) is a 422 as in Kubernetes. */
export function applyJsonPatch<T>(target: T, patch: unknown): T {
  if (!Array.isArray(patch)) throw statusErrors.badRequest("json patch must be a JSON array of operations");
  try {
    return fastJsonPatch.applyPatch(structuredClone(target), patch as Operation[], true, true, true).newDocument;
  } catch (err) {
    throw statusErrors.unprocessable(`the server rejected our request due to an error in our request: ${(err as Error).message.split("\n")[0]}`);
  }
}
