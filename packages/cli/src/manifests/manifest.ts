/** A Kubernetes-style object as written in a manifest file. */
export interface Manifest {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; labels?: unknown; annotations?: unknown; [key: string]: unknown };
  spec?: unknown;
  [key: string]: unknown;
}

export interface ManifestSource {
  manifest: Manifest;
  /** file:document, for messages. */
  origin: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
