import type { KindDefinition } from "@ark/types";
import { z } from "zod";
import { isRecord } from "../http/records.js";
import { metadataFields, objectMeta, replaceField, withoutNulls, type AnyArkObject, type KindDto } from "./kind-dto.js";

/** The upstream style for tools, MCP and A2A servers (and kinds upstream has no REST shape for): `{name, labels, annotations, spec}`. */
export function wrappedDto(definition: KindDefinition, summary?: (obj: AnyArkObject) => Record<string, unknown>): KindDto {
  const detail = (obj: AnyArkObject) => ({ ...objectMeta(obj), spec: obj.spec, status: obj.status ?? {} });
  return {
    definition,
    createSchema: z.object({ name: z.string(), ...metadataFields, spec: definition.spec }),
    updateSchema: z.object({ ...metadataFields, ...replaceField, spec: definition.spec.optional() }),
    parseCreate(body) {
      return { name: body.name, labels: body.labels, annotations: body.annotations, spec: body.spec ?? {} };
    },
    parseUpdate(body) {
      return { labels: body.labels, annotations: body.annotations, resourceVersion: body.resourceVersion, generation: body.generation, spec: isRecord(body.spec) ? withoutNulls(body.spec) : (body.spec ?? {}) };
    },
    summary: summary ?? detail,
    detail,
  };
}
