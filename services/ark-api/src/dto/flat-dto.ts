import type { KindDefinition } from "@ark/types";
import { z } from "zod";
import { metadataFields, objectMeta, replaceField, specShape, withoutNulls, type AnyArkObject, type KindDto } from "./kind-dto.js";

const ENVELOPE = new Set(["name", "namespace", "labels", "annotations", "resourceVersion", "generation"]);

/**
 * The upstream style for agents, teams, queries, models and memories: spec fields at the top level
 * beside `name`; details are `{name, namespace, ...spec, status}`.
 */
export function flatDto(definition: KindDefinition, summary: (obj: AnyArkObject) => Record<string, unknown>, extraDetail: (obj: AnyArkObject) => Record<string, unknown> = () => ({})): KindDto {
  const shape = specShape(definition);
  return {
    definition,
    createSchema: z.object({ name: z.string(), ...metadataFields, ...shape }),
    updateSchema: z.object({ ...metadataFields, ...replaceField, ...shape }).partial(),
    parseCreate(body) {
      return { name: body.name, labels: body.labels, annotations: body.annotations, spec: specPart(body) };
    },
    parseUpdate(body) {
      return { labels: body.labels, annotations: body.annotations, resourceVersion: body.resourceVersion, generation: body.generation, spec: withoutNulls(specPart(body)) };
    },
    summary,
    detail(obj) {
      const meta = objectMeta(obj);
      return { ...meta, ...obj.spec, ...extraDetail(obj), status: obj.status ?? {} };
    },
  };
}

function specPart(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !ENVELOPE.has(key)));
}
