import { groupVersion, type ResourceType } from "../resource-type.js";
import { versionInfo } from "../discovery/version-info.js";
import { metaSchemas } from "./meta-schemas.js";
import { META, collectionPath, ref, schemaName } from "./names.js";
import { createOperation, deleteOperation, listOperation, nameParam, namespaceParam, patchOperation, readOperation, replaceOperation, type OperationContext } from "./operations.js";

type Doc = Record<string, unknown>;

/**
 * The OpenAPI 3.0 document of one group version (`/openapi/v3/apis/<g>/<v>`): kubectl reads the
 * fieldValidation parameter of its PATCH operations to let the server validate, and `kubectl explain`
 * reads the schemas. Undefined when nothing is served in that group version.
 */
export function openApiV3GroupDoc(resources: readonly ResourceType[], gv: string): Doc | undefined {
  const served = resources.filter((r) => groupVersion(r) === gv);
  if (served.length === 0) return undefined;
  const schemas: Record<string, unknown> = { ...metaSchemas };
  const paths: Record<string, unknown> = {};
  for (const r of served) {
    const ctx = operationContext(r);
    schemas[ctx.objectSchema] = objectSchema(r);
    schemas[ctx.listSchema] = listSchema(r, ctx.objectSchema);
    Object.assign(paths, resourcePaths(ctx));
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: versionInfo().gitVersion },
    paths,
    components: { schemas },
  };
}

const capitalize = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

function operationContext(r: ResourceType): OperationContext {
  const groupWord = r.group === "" ? "core" : (r.group.split(".")[0] ?? r.group);
  return {
    resource: r,
    objectSchema: schemaName(r, r.kind),
    listSchema: schemaName(r, r.listKind),
    tag: `${groupWord}_${r.version}`,
    operationSuffix: `${capitalize(groupWord)}${capitalize(r.version)}${r.namespaced ? "Namespaced" : ""}${r.kind}`,
  };
}

function resourcePaths(ctx: OperationContext): Record<string, unknown> {
  const r = ctx.resource;
  const can = (verb: string) => r.verbs.includes(verb);
  const scopeParams = r.namespaced ? [namespaceParam] : [];
  const collection = collectionPath(r);
  const item = `${collection}/{name}`;
  const paths: Record<string, unknown> = {
    [collection]: {
      parameters: scopeParams,
      ...(can("list") ? { get: listOperation(ctx, false) } : {}),
      ...(can("create") ? { post: createOperation(ctx) } : {}),
    },
    [item]: {
      parameters: [nameParam(r.kind), ...scopeParams],
      ...(can("get") ? { get: readOperation(ctx) } : {}),
      ...(can("update") ? { put: replaceOperation(ctx) } : {}),
      ...(can("patch") ? { patch: patchOperation(ctx) } : {}),
      ...(can("delete") ? { delete: deleteOperation(ctx) } : {}),
    },
  };
  if (r.namespaced && can("list")) paths[collectionPath(r, true)] = { get: listOperation(ctx, true) };
  if (r.statusSubresource) {
    paths[`${item}/status`] = {
      parameters: [nameParam(r.kind), ...scopeParams],
      get: readOperation(ctx, "Status"),
      put: replaceOperation(ctx, "Status"),
      patch: patchOperation(ctx, "Status"),
    };
  }
  return paths;
}

function objectSchema(r: ResourceType): Doc {
  const properties = (r.openAPISchema.properties ?? {}) as Record<string, unknown>;
  return {
    ...r.openAPISchema,
    properties: {
      ...properties,
      metadata: { description: "Standard object's metadata.", default: {}, allOf: [ref(`${META}.ObjectMeta`)] },
    },
    "x-kubernetes-group-version-kind": [{ group: r.group, version: r.version, kind: r.kind }],
  };
}

function listSchema(r: ResourceType, itemSchema: string): Doc {
  return {
    description: `${r.listKind} is a list of ${r.kind}.`,
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      items: { type: "array", items: ref(itemSchema) },
      metadata: { default: {}, allOf: [ref(`${META}.ListMeta`)] },
    },
    "x-kubernetes-group-version-kind": [{ group: r.group, version: r.version, kind: r.listKind }],
  };
}
