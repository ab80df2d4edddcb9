import type { Header } from "@ark/types";
import type { ValueSourceReader } from "./reader.js";
import { resolveSecretKey } from "./resolve-value-source.js";
import { ValueSourceError } from "./value-source-error.js";

/** docs/upstream-compat.md §1.5: each header's value, or its secretKeyRef read in `namespace`; in order, later names win. */
export async function resolveHeaders(
  headers: readonly Header[] | undefined,
  namespace: string,
  reader: ValueSourceReader,
): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  for (const header of headers ?? []) {
    resolved[header.name] = await resolveHeaderValue(header, namespace, reader);
  }
  return resolved;
}

async function resolveHeaderValue(header: Header, namespace: string, reader: ValueSourceReader): Promise<string> {
  if (header.value.value) return header.value.value;
  const secretKeyRef = header.value.valueFrom?.secretKeyRef;
  try {
    if (!secretKeyRef) throw new ValueSourceError("header value must specify either value or valueFrom.secretKeyRef");
    return await resolveSecretKey(secretKeyRef, namespace, reader);
  } catch (err) {
    if (err instanceof ValueSourceError) throw new ValueSourceError(`header ${header.name}: ${err.message}`, { cause: err });
    throw err;
  }
}
