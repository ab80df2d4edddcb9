import { parseAllDocuments } from "yaml";
import type { RenderedTemplate } from "./render-chart.js";

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
  /** The template it came from. */
  source: string;
}

/** Splits rendered templates into objects, as Helm does before applying them; any YAML error throws with the template's name. */
export function toManifests(rendered: RenderedTemplate[]): Manifest[] {
  const out: Manifest[] = [];
  for (const t of rendered) {
    for (const doc of parseAllDocuments(t.content)) {
      if (doc.errors.length > 0) throw new Error(`${t.name}: ${doc.errors.map((e) => e.message).join("; ")}\n${t.content}`);
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      if (typeof value !== "object" || Array.isArray(value)) throw new Error(`${t.name}: a document is not an object`);
      const obj = value as Record<string, unknown>;
      if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") throw new Error(`${t.name}: a document without apiVersion/kind`);
      const metadata = obj.metadata as Manifest["metadata"] | undefined;
      if (typeof metadata?.name !== "string" || metadata.name === "") throw new Error(`${t.name}: ${obj.kind} without metadata.name`);
      Object.defineProperty(obj, "source", { value: t.name, enumerable: false });
      out.push(obj as Manifest);
    }
  }
  return out;
}

export function manifestKey(m: Manifest): string {
  return `${m.apiVersion}/${m.kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ""}${m.metadata.name}`;
}
