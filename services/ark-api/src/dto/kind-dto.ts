import type { ArkObject } from "@ark/kube";
import type { KindDefinition } from "@ark/types";
import { z } from "zod";

export type AnyArkObject = ArkObject<Record<string, unknown>, Record<string, unknown>>;

/** A create request split into what becomes metadata and what becomes spec (not validated yet). */
interface CreateRequest {
  name: unknown;
  labels?: unknown;
  annotations?: unknown;
  spec: unknown;
}

/**
 * An update: metadata fields to replace and the spec fields to set (non-null fields replace the old ones).
 * With `resourceVersion` (the one read), the update is the whole object instead: the spec, labels and
 * annotations given replace the current ones entirely (a field left out is removed), 409 when it changed since
 * (with `generation`, read with it: when its spec changed since; a controller's status write is no conflict).
 */
interface UpdateRequest {
  labels?: unknown;
  annotations?: unknown;
  resourceVersion?: unknown;
  generation?: unknown;
  spec: unknown;
}

/** How one kind looks on the REST API: request bodies in, upstream-shaped list items and details out. */
export interface KindDto {
  definition: KindDefinition;
  /** For OpenAPI: the bodies as documented (validation is packages/types', with its field paths). */
  createSchema: z.ZodType;
  updateSchema: z.ZodType;
  parseCreate(body: Record<string, unknown>): CreateRequest;
  parseUpdate(body: Record<string, unknown>): UpdateRequest;
  summary(obj: AnyArkObject): Record<string, unknown>;
  detail(obj: AnyArkObject): Record<string, unknown>;
}

export const metadataFields = {
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
};

/** PUT only: the resourceVersion read; given, the body replaces the whole object (docs/upstream-compat.md). */
export const replaceField = {
  resourceVersion: z.string().optional().describe("The resourceVersion read: the body then replaces the spec, labels and annotations entirely (fields left out are removed); 409 when the object changed since."),
  generation: z.int().optional().describe("With resourceVersion: the generation read; 409 only when the spec changed since (a status write by a controller is no conflict)."),
};

export function specShape(definition: KindDefinition): Record<string, z.ZodType> {
  return definition.spec instanceof z.ZodObject ? (definition.spec.shape as Record<string, z.ZodType>) : {};
}

export function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined));
}

export function objectMeta(obj: AnyArkObject) {
  return {
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    labels: obj.metadata.labels ?? {},
    annotations: obj.metadata.annotations ?? {},
    creationTimestamp: toIso(obj.metadata.creationTimestamp),
    uid: obj.metadata.uid,
    resourceVersion: obj.metadata.resourceVersion,
    generation: obj.metadata.generation,
  };
}

export function toIso(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  return typeof value === "string" ? value : undefined;
}

export function condition(obj: AnyArkObject, type: string): { status?: string; message?: string } | undefined {
  const conditions = (obj.status?.conditions ?? []) as Array<{ type: string; status?: string; message?: string }>;
  return conditions.find((c) => c.type === type);
}
