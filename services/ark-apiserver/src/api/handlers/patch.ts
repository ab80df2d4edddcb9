import { admit, fieldValidationFrom } from "../../admission/admit.js";
import { checkRbacWrite } from "../../rbac/escalation.js";
import type { KubeObject } from "../../kube-object.js";
import { PreconditionFailedError } from "../../store/errors.js";
import type { StoredObject } from "../../store/object-store.js";
import { apiVersionOf, type ApiContext, type ApiReply, type ResourceRequest } from "../context.js";
import { checkSubresource, requestKey } from "../object-key.js";
import { applyJsonPatch } from "../patch/json-patch.js";
import { applyMergePatch } from "../patch/merge-patch.js";
import { ApplyConflictError, appliedManagedFields, serverSideApply } from "../patch/server-side-apply.js";
import { applyStrategicMergePatch, takesStrategicMerge } from "../patch/strategic-merge-patch.js";
import { StatusError, statusErrors } from "../status.js";
import { asKubeObject, contentTypeOf, decodeJsonBody } from "../write/decode-body.js";
import { newObject } from "../write/new-object.js";
import { checkNamespaceAcceptsObjects, persistCreate } from "../write/persist.js";
import { checkFieldManager, isDryRun } from "../write/request-options.js";
import { updateStored } from "../write/update-object.js";

const MAX_ATTEMPTS = 5;

type PatchType = "json" | "merge" | "strategic" | "apply";

function patchTypeOf(req: ResourceRequest): PatchType {
  const contentType = contentTypeOf(req);
  switch (contentType) {
    case "application/json-patch+json":
      return "json";
    case "application/merge-patch+json":
      return "merge";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      return "apply";
    case "application/strategic-merge-patch+json":
      // Kubernetes refuses strategic merge on custom resources; ARK kinds behave as CRDs.
      if (takesStrategicMerge(req.rt)) return "strategic";
      throw statusErrors.unsupportedMediaType(contentType);
    default:
      throw statusErrors.unsupportedMediaType(contentType);
  }
}

/** PATCH: applied to the current object and stored conditionally; retried when it changed meanwhile. */
export async function patchObject(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const { rt } = req;
  checkSubresource(req);
  const type = patchTypeOf(req);
  const patch = decodeJsonBody(req, { yaml: type === "apply" });
  const fieldValidation = fieldValidationFrom(req.query);
  const dryRun = isDryRun(req.query);
  const name = req.name ?? "";
  checkFieldManager(req.query);
  const manager = req.query.get("fieldManager") ?? "";
  const forceText = req.query.get("force");
  if (forceText !== null && type !== "apply") throw statusErrors.badRequest("force: Forbidden: may not be specified for non-apply patch");
  const force = forceText === "true";
  if (type === "apply") {
    if (manager === "") throw statusErrors.badRequest("PATCH /apply requires fieldManager");
    const applied = asKubeObject(patch);
    if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
      throw statusErrors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
  }
  const key = requestKey(req);
  // The first attempt starts from the cached state (no read from the database); it is confirmed by the
  // conditional write, and anything that state alone would decide (no-op, conflict, invalid) is re-read.
  let cached = dryRun ? undefined : ctx.cache.current(key);
  for (let attempt = 1; ; attempt++) {
    const fromCache = cached !== undefined;
    const current: StoredObject | undefined = cached ? { object: JSON.parse(cached.text) as KubeObject, text: cached.text, resourceVersion: cached.resourceVersion } : await ctx.store.get(key);
    cached = undefined;
    if (!current) {
      if (type !== "apply" || req.subresource !== undefined) throw statusErrors.notFound(rt, name);
      return createByApply(ctx, req, asKubeObject(patch), manager, dryRun);
    }
    try {
      const patched = applyPatch(type, current.object, patch, manager, apiVersionOf(rt), force);
      const requestedRv = patched.metadata.resourceVersion;
      if (requestedRv !== undefined && requestedRv !== String(current.resourceVersion)) throw statusErrors.conflict(rt, name);
      const updated = await updateStored(ctx, rt, current, patched, { subresource: req.subresource, fieldValidation, dryRun, user: req.user });
      if (fromCache && updated.object === current.object) continue; // a no-op against what may be stale: confirm
      return { code: 200, body: updated.object, warnings: updated.warnings };
    } catch (err) {
      if (fromCache && (err instanceof StatusError || err instanceof PreconditionFailedError)) continue;
      if (!(err instanceof PreconditionFailedError)) throw err;
      if (patchSetsResourceVersion(patch) || attempt >= MAX_ATTEMPTS) throw statusErrors.conflict(rt, name);
    }
  }
}

function applyPatch(type: PatchType, current: KubeObject, patch: unknown, manager: string, apiVersion: string, force: boolean): KubeObject {
  let result: unknown;
  switch (type) {
    case "json":
      result = applyJsonPatch(current, patch);
      break;
    case "merge":
      result = applyMergePatch(current, patch);
      break;
    case "strategic":
      result = applyStrategicMergePatch(current, patch);
      break;
    case "apply":
      try {
        result = serverSideApply(current, asKubeObject(patch), manager, apiVersion, force);
      } catch (err) {
        if (err instanceof ApplyConflictError) {
          throw statusErrors.applyConflict(
            err.message,
            err.conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${JSON.stringify(c.manager)}`, field: c.field })),
          );
        }
        throw err;
      }
      break;
  }
  return asKubeObject(result);
}

function patchSetsResourceVersion(patch: unknown): boolean {
  if (Array.isArray(patch)) return patch.some((op) => typeof op === "object" && op !== null && String((op as { path?: unknown }).path) === "/metadata/resourceVersion");
  const metadata = (patch as { metadata?: { resourceVersion?: unknown } } | null)?.metadata;
  return metadata?.resourceVersion !== undefined && metadata.resourceVersion !== null;
}

async function createByApply(ctx: ApiContext, req: ResourceRequest, applied: KubeObject, manager: string, dryRun: boolean): Promise<ApiReply> {
  const { rt } = req;
  const fieldValidation = fieldValidationFrom(req.query);
  const body: KubeObject = { ...applied, metadata: { ...applied.metadata, name: req.name, managedFields: appliedManagedFields(applied, manager, apiVersionOf(rt)) } };
  const admitted = admit(rt, newObject(rt, body, req.namespace), { fieldValidation, operation: "create" });
  checkRbacWrite(ctx.access, req.user, rt, admitted.object);
  if (rt.namespaced) await checkNamespaceAcceptsObjects(ctx, rt, req.namespace ?? "", req.name ?? "");
  const created = await persistCreate(ctx, rt, admitted.object, dryRun);
  return { code: 201, body: created, warnings: admitted.warnings };
}
