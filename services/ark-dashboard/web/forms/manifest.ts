import { arkKinds, validateArkResource } from "@ark/types";
import type { KindPage } from "../kinds.js";

/** The apiVersion a kind is served as (A2AServer is v1prealpha1, the others v1alpha1). */
export function apiVersionOf(kind: string): string {
  const definition = arkKinds.find((d) => d.kind === kind);
  return definition ? `${definition.group}/${definition.version}` : "ark.mckinsey.com/v1alpha1";
}

export interface ManifestParts {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec: Record<string, unknown>;
}

/** ark-api's body for a manifest: spec fields beside `name` (agents, models…) or under `spec` (tools, MCP servers…). */
export function bodyOf(page: KindPage, parts: ManifestParts, operation: "create" | "update"): Record<string, unknown> {
  const envelope = {
    ...(operation === "create" ? { name: parts.name } : {}),
    ...(parts.labels && Object.keys(parts.labels).length ? { labels: parts.labels } : {}),
    ...(parts.annotations && Object.keys(parts.annotations).length ? { annotations: parts.annotations } : {}),
  };
  return page.shape === "wrapped" ? { ...envelope, spec: parts.spec } : { ...envelope, ...parts.spec };
}

export interface FieldProblem {
  field: string;
  detail: string;
}

/** The same schema and admission checks ark-api runs, before anything is sent. */
export function checkManifest(page: KindPage, namespace: string, parts: ManifestParts, operation: "create" | "update"): FieldProblem[] {
  const metadata = { name: parts.name, namespace, ...(parts.labels ? { labels: parts.labels } : {}), ...(parts.annotations ? { annotations: parts.annotations } : {}) };
  const checked = validateArkResource({ apiVersion: apiVersionOf(page.kind), kind: page.kind, metadata, spec: parts.spec }, { fieldValidation: "Strict", operation });
  return checked.ok ? [] : checked.errors.map((e) => ({ field: e.field, detail: e.detail || e.type }));
}

/** The resourceVersion and generation of a manifest, as read: what a replacing PUT says it started from. */
export function versionOf(manifest: Record<string, unknown>): { resourceVersion?: string; generation?: number } {
  const metadata = (manifest.metadata && typeof manifest.metadata === "object" ? manifest.metadata : {}) as Record<string, unknown>;
  return {
    ...(typeof metadata.resourceVersion === "string" ? { resourceVersion: metadata.resourceVersion } : {}),
    ...(typeof metadata.generation === "number" ? { generation: metadata.generation } : {}),
  };
}
