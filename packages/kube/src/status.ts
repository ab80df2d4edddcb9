import { isDeepStrictEqual } from "node:util";
import type { ArkObject, MergePatch } from "./clients/ark-object.js";
import type { KindClient } from "./clients/kind-client.js";

type JsonRecord = Record<string, unknown>;

const isRecord = (v: unknown): v is JsonRecord => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The smallest merge patch that turns `current` into `current` merged with `desired`: unchanged fields are left
 * out, nested objects are diffed field by field, arrays compared whole, null kept only for fields that exist.
 * Undefined when nothing would change.
 */
export function diffMergePatch(current: unknown, desired: JsonRecord): JsonRecord | undefined {
  const base = isRecord(current) ? current : {};
  const patch: JsonRecord = {};
  for (const [field, want] of Object.entries(desired)) {
    if (want === undefined) continue;
    const have = base[field];
    if (want === null) {
      if (have !== undefined && have !== null) patch[field] = null;
    } else if (isRecord(want) && isRecord(have)) {
      const nested = diffMergePatch(have, want);
      if (nested) patch[field] = nested;
    } else if (!isDeepStrictEqual(have, want)) {
      patch[field] = want;
    }
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * Writes to /status only the fields of `desired` that differ from `obj.status` (as read, usually from the
 * informer cache), and nothing at all when none do, so a reconcile that changes nothing causes no watch event.
 * Returns the updated object, or undefined when the write was skipped.
 */
export async function patchStatus<Spec, Status, SpecInput>(
  client: Pick<KindClient<Spec, Status, SpecInput>, "patchStatus">,
  obj: ArkObject<Spec, Status>,
  desired: MergePatch<Status>,
): Promise<ArkObject<Spec, Status> | undefined> {
  const patch = diffMergePatch(obj.status, desired as JsonRecord);
  if (!patch) return undefined;
  return client.patchStatus(obj.metadata.namespace ?? "", obj.metadata.name ?? "", patch as MergePatch<Status>);
}
