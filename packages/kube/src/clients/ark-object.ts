import type { V1ObjectMeta } from "@kubernetes/client-node";
import type { KindDefinition } from "@ark/types";
import type { z } from "zod";

/** An ARK resource as the API serves it: spec and status typed from the kind's zod schemas. */
export interface ArkObject<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: Spec;
  status?: Status;
}

/** What `create` accepts: spec as written by a person (zod input, defaults optional); apiVersion and kind filled in. */
export interface NewArkObject<SpecInput = unknown, Status = unknown> {
  apiVersion?: string;
  kind?: string;
  metadata: V1ObjectMeta;
  spec: SpecInput;
  status?: Status;
}

export type SpecOf<D> = D extends KindDefinition<infer S, z.ZodType> ? z.output<S> : never;
export type SpecInputOf<D> = D extends KindDefinition<infer S, z.ZodType> ? z.input<S> : never;
export type StatusOf<D> = D extends KindDefinition<z.ZodType, infer T> ? z.output<T> : never;
export type ObjectOf<D> = ArkObject<SpecOf<D>, StatusOf<D>>;

/** RFC 7386 merge patch of T: any field may be omitted or set to null (delete); arrays are replaced whole. */
export type MergePatch<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: MergePatch<T[K]> | null } : T;

/** A metadata timestamp as epoch ms: client-node types them as Date, the wire (and an informer) gives RFC 3339 text. */
export function metadataTimeMs(value: Date | string | undefined): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}
