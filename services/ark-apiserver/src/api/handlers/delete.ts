import { isPlainObject } from "../../kube-object.js";
import { PreconditionFailedError } from "../../store/errors.js";
import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { checkSubresource, getOrNotFound, requestKey } from "../object-key.js";
import { statusErrors, successStatus } from "../status.js";
import { deleteStored, orphanDependents } from "../write/delete-stored.js";
import { isDryRun } from "../write/request-options.js";

const MAX_ATTEMPTS = 5;
/** As Kubernetes' NamespaceLifecycle admission: these namespaces may not be deleted. */
const IMMORTAL_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);

interface DeleteOptions {
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

function deleteOptionsOf(req: ResourceRequest): DeleteOptions {
  const text = req.body?.toString("utf8").trim() ?? "";
  let options: DeleteOptions = {};
  if (text !== "") {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isPlainObject(parsed)) options = parsed as DeleteOptions;
    } catch {
      throw statusErrors.badRequest("the body of the request could not be decoded as DeleteOptions");
    }
  }
  const policy = req.query.get("propagationPolicy");
  if (policy) options.propagationPolicy = policy;
  return options;
}

/**
 * DELETE: removes the object, or marks it deleting while finalizers remain. Dependents go by background
 * garbage collection; with Foreground the owner stays (foregroundDeletion finalizer) until its blocking
 * dependents are gone; Orphan strips their owner references.
 */
export async function deleteObject(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const { rt } = req;
  checkSubresource(req);
  if (req.subresource) throw statusErrors.methodNotAllowed("DELETE is not supported on subresources");
  const options = deleteOptionsOf(req);
  const policy = options.propagationPolicy ?? "Background";
  if (!["Background", "Foreground", "Orphan"].includes(policy)) {
    throw statusErrors.badRequest(`propagationPolicy: Unsupported value: "${policy}"`);
  }
  const dryRun = isDryRun(req.query) || (options.dryRun ?? []).includes("All");
  const name = req.name ?? "";
  if (rt.group === "" && rt.plural === "namespaces" && IMMORTAL_NAMESPACES.has(name)) throw statusErrors.forbidden(rt, name, "this namespace may not be deleted");
  for (let attempt = 1; ; attempt++) {
    const current = await getOrNotFound(ctx, req);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid && uid !== current.object.metadata.uid) {
      throw statusErrors.conflict(rt, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.object.metadata.uid}`);
    }
    if (resourceVersion && resourceVersion !== String(current.resourceVersion)) {
      throw statusErrors.conflict(rt, name, `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.resourceVersion}`);
    }
    try {
      if (policy === "Orphan" && !dryRun && current.object.metadata.uid) await orphanDependents(ctx.store, current.object.metadata.uid);
      const outcome = await deleteStored(ctx.store, requestKey(req), current, dryRun, { foreground: policy === "Foreground" });
      ctx.collectGarbage();
      if (!outcome.deleted) return { code: 200, body: outcome.object };
      return { code: 200, body: successStatus(rt, name, outcome.object.metadata.uid) };
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || resourceVersion || attempt >= MAX_ATTEMPTS) {
        if (err instanceof PreconditionFailedError) throw statusErrors.conflict(rt, name);
        throw err;
      }
    }
  }
}
