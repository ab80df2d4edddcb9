import { createHash } from "node:crypto";
import { groupVersion, type ResourceType } from "../resource-type.js";
import { openApiV3GroupDoc } from "./group-doc.js";

interface Rendered {
  doc: Record<string, unknown>;
  hash: string;
}

const cache = new WeakMap<readonly ResourceType[], Map<string, Rendered>>();

/** The group document and its content hash, computed once per resource list (served ones are fixed). */
export function renderedGroupDoc(resources: readonly ResourceType[], gv: string): Rendered | undefined {
  let byGv = cache.get(resources);
  if (byGv === undefined) cache.set(resources, (byGv = new Map()));
  const cached = byGv.get(gv);
  if (cached !== undefined) return cached;
  const doc = openApiV3GroupDoc(resources, gv);
  if (doc === undefined) return undefined;
  const rendered = { doc, hash: createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase() };
  byGv.set(gv, rendered);
  return rendered;
}

/** `GET /openapi/v3`: where each group version's document lives, with a hash that changes with its content. */
export function openApiV3Root(resources: readonly ResourceType[]): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of new Set(resources.map(groupVersion))) {
    const key = gv.includes("/") ? `apis/${gv}` : `api/${gv}`;
    const rendered = renderedGroupDoc(resources, gv);
    if (rendered !== undefined) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${rendered.hash}` };
  }
  return { paths };
}
