import { takesStrategicMerge } from "../api/patch/strategic-merge-patch.js";
import type { ResourceType } from "../resource-type.js";
import { META, ref } from "./names.js";

type Operation = Record<string, unknown>;

const queryParam = (name: string, type: "string" | "integer" | "boolean", description: string) => ({
  name,
  in: "query",
  description,
  schema: { type, uniqueItems: true },
});
const pathParam = (name: string, description: string) => ({
  name,
  in: "path",
  description,
  required: true,
  schema: { type: "string", uniqueItems: true },
});

const dryRun = queryParam("dryRun", "string", "When present (All), modifications are not persisted.");
const fieldManager = queryParam("fieldManager", "string", "Name of the actor making these changes.");
// kubectl sends fieldValidation=Strict (and skips client-side validation) only when it finds this parameter.
const fieldValidation = queryParam("fieldValidation", "string", "Ignore, Warn or Strict: what the server does with unknown or duplicate fields.");
const force = queryParam("force", "boolean", "Force apply requests to take ownership of conflicting fields.");
const writeParams = [dryRun, fieldManager, fieldValidation];
const listParams = [
  queryParam("allowWatchBookmarks", "boolean", "Request BOOKMARK watch events."),
  queryParam("continue", "string", "Continue token from a previous paginated list."),
  queryParam("fieldSelector", "string", "Restrict returned objects by their fields (metadata.name, metadata.namespace)."),
  queryParam("labelSelector", "string", "Restrict returned objects by their labels."),
  queryParam("limit", "integer", "Maximum number of objects to return."),
  queryParam("resourceVersion", "string", "Where a list or watch starts."),
  queryParam("resourceVersionMatch", "string", "How resourceVersion applies to list calls."),
  queryParam("timeoutSeconds", "integer", "Timeout for list/watch calls."),
  queryParam("watch", "boolean", "Watch for changes and return a stream of add, update and remove events."),
];

export const namespaceParam = pathParam("namespace", "object name and auth scope, such as for teams and projects");
export const nameParam = (kind: string) => pathParam("name", `name of the ${kind}`);

const jsonAndYaml = (schema: unknown) => ({
  "application/json": { schema },
  "application/yaml": { schema },
});
const okResponse = (schemaName: string) => ({ description: "OK", content: jsonAndYaml(ref(schemaName)) });

// Built-in kinds take strategic merge patches; ARK kinds, like CRDs, do not, so kubectl apply sends merge patches.
function patchContentTypes(r: ResourceType): string[] {
  const types = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];
  return takesStrategicMerge(r) ? [...types, "application/strategic-merge-patch+json"] : types;
}

export interface OperationContext {
  resource: ResourceType;
  objectSchema: string;
  listSchema: string;
  tag: string;
  operationSuffix: string;
}

function operation(ctx: OperationContext, action: string, verb: string, fields: Operation): Operation {
  const { resource: r } = ctx;
  return {
    tags: [ctx.tag],
    description: `${verb} ${r.kind}`,
    operationId: `${verb}${ctx.operationSuffix}`,
    ...fields,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { group: r.group, version: r.version, kind: r.kind },
  };
}

export const listOperation = (ctx: OperationContext, allNamespaces: boolean): Operation =>
  operation(ctx, "list", allNamespaces ? "listForAllNamespaces" : "list", {
    parameters: listParams,
    responses: { "200": okResponse(ctx.listSchema) },
  });

export const createOperation = (ctx: OperationContext): Operation =>
  operation(ctx, "post", "create", {
    parameters: writeParams,
    requestBody: { content: { "*/*": { schema: ref(ctx.objectSchema) } }, required: true },
    responses: { "200": okResponse(ctx.objectSchema), "201": okResponse(ctx.objectSchema), "202": okResponse(ctx.objectSchema) },
  });

export const readOperation = (ctx: OperationContext, sub = ""): Operation => operation(ctx, "get", `read${sub}`, { responses: { "200": okResponse(ctx.objectSchema) } });

export const replaceOperation = (ctx: OperationContext, sub = ""): Operation =>
  operation(ctx, "put", `replace${sub}`, {
    parameters: writeParams,
    requestBody: { content: { "*/*": { schema: ref(ctx.objectSchema) } }, required: true },
    responses: { "200": okResponse(ctx.objectSchema), "201": okResponse(ctx.objectSchema) },
  });

export const patchOperation = (ctx: OperationContext, sub = ""): Operation =>
  operation(ctx, "patch", `patch${sub}`, {
    parameters: [...writeParams, force],
    requestBody: {
      content: Object.fromEntries(patchContentTypes(ctx.resource).map((t) => [t, { schema: ref(`${META}.Patch`) }])),
      required: true,
    },
    responses: { "200": okResponse(ctx.objectSchema), "201": okResponse(ctx.objectSchema) },
  });

export const deleteOperation = (ctx: OperationContext): Operation =>
  operation(ctx, "delete", "delete", {
    parameters: [
      dryRun,
      queryParam("gracePeriodSeconds", "integer", "Seconds before the object is deleted."),
      queryParam("propagationPolicy", "string", "Orphan, Background or Foreground garbage collection of dependents."),
    ],
    requestBody: { content: { "*/*": { schema: ref(`${META}.DeleteOptions`) } } },
    responses: { "200": okResponse(ctx.objectSchema), "202": okResponse(ctx.objectSchema) },
  });
