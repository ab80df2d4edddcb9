import { UsageError } from "../errors.js";
import type { CliKind } from "./kinds.js";
import { isRecord, type Manifest } from "./manifest.js";

/** The ark-api create body for a manifest (see BodyShape). */
export function createBody(kind: CliKind, manifest: Manifest, origin: string): Record<string, unknown> {
  const name = manifest.metadata?.name;
  if (typeof name !== "string" || name === "") throw new UsageError(`${origin}: metadata.name is required`);
  if (kind.shape === "namespace") return { name };
  if (kind.shape === "secret") return { name, string_data: secretValues(manifest, origin), ...(typeof manifest.type === "string" ? { type: manifest.type } : {}) };
  return { name, ...updateBody(kind, manifest, origin) };
}

/** The ark-api update (PUT) body: labels, annotations and the spec. */
export function updateBody(kind: CliKind, manifest: Manifest, origin: string): Record<string, unknown> {
  if (kind.shape === "secret") return { string_data: secretValues(manifest, origin) };
  const meta = {
    ...(isRecord(manifest.metadata?.labels) ? { labels: manifest.metadata.labels } : {}),
    ...(isRecord(manifest.metadata?.annotations) ? { annotations: manifest.metadata.annotations } : {}),
  };
  const spec = manifest.spec ?? {};
  if (!isRecord(spec)) throw new UsageError(`${origin}: spec must be an object`);
  return kind.shape === "flat" ? { ...meta, ...spec } : { ...meta, spec };
}

/** stringData as is, data decoded from base64 (stringData wins, as in Kubernetes). */
function secretValues(manifest: Manifest, origin: string): Record<string, string> {
  const values: Record<string, string> = {};
  if (isRecord(manifest.data)) {
    for (const [key, value] of Object.entries(manifest.data)) {
      if (typeof value !== "string") throw new UsageError(`${origin}: data.${key} must be a base64 string`);
      values[key] = Buffer.from(value, "base64").toString("utf8");
    }
  }
  if (isRecord(manifest.stringData)) {
    for (const [key, value] of Object.entries(manifest.stringData)) values[key] = String(value);
  }
  return values;
}
