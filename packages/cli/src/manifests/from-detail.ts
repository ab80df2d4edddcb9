import { z } from "zod";
import type { CliKind } from "./kinds.js";
import { isRecord, type Manifest } from "./manifest.js";

const METADATA_FIELDS = ["name", "namespace", "labels", "annotations", "creationTimestamp", "uid", "resourceVersion"] as const;

/** Turns ark-api's detail (flat or `{spec}`) back into a manifest, so `get -o yaml` output can be applied again. */
export function manifestFromDetail(kind: CliKind, detail: Record<string, unknown>): Manifest {
  const metadata = Object.fromEntries(METADATA_FIELDS.filter((f) => detail[f] !== undefined && !isEmptyRecord(detail[f])).map((f) => [f, detail[f]]));
  const apiVersion = kind.definition ? `${kind.definition.group}/${kind.definition.version}` : "v1";
  const base: Manifest = { apiVersion, kind: kind.kind, metadata };
  if (!kind.definition) return { ...base, ...withoutMetadata(detail) };
  const spec = kind.shape === "flat" ? pickSpecFields(kind, detail) : (detail.spec ?? {});
  // ark-api shows a Model's `model` as a plain string; the manifest field is a value source.
  if (kind.kind === "Model" && isRecord(spec) && typeof spec.model === "string") spec.model = { value: spec.model };
  // Some details (Model) show the status as the phase alone.
  const status = typeof detail.status === "string" ? { phase: detail.status } : detail.status;
  return { ...base, spec, ...(isRecord(status) && Object.keys(status).length > 0 ? { status } : {}) };
}

function pickSpecFields(kind: CliKind, detail: Record<string, unknown>): Record<string, unknown> {
  const shape = kind.definition?.spec instanceof z.ZodObject ? Object.keys(kind.definition.spec.shape) : [];
  return Object.fromEntries(shape.filter((key) => detail[key] !== undefined && detail[key] !== null).map((key) => [key, detail[key]]));
}

function withoutMetadata(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(detail).filter(([key]) => !(METADATA_FIELDS as readonly string[]).includes(key)));
}

function isEmptyRecord(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 0;
}
