import type { KubeObject } from "../../kube-object.js";
import { PreconditionFailedError } from "../../store/errors.js";
import { apiVersionOf, type ApiContext, type ApiReply, type ResourceRequest } from "../context.js";
import { statusErrors } from "../status.js";
import { deleteStored } from "../write/delete-stored.js";
import { isDryRun } from "../write/request-options.js";
import { selectObjects } from "./list.js";

/** DELETE on a collection: deletes what a list with the same selectors returns; answers the deleted objects. */
export async function deleteCollection(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const { rt } = req;
  // Namespaces have no deletecollection in Kubernetes (and some of them may not be deleted at all).
  if (rt.group === "" && rt.plural === "namespaces") throw statusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
  // Nor does a namespaced kind across all namespaces (Kubernetes serves only list and watch there): one request must
  // not empty every tenant's namespace. `kubectl delete --all -A` deletes namespace by namespace.
  if (rt.namespaced && req.namespace === undefined) throw statusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
  const dryRun = isDryRun(req.query);
  const listed = await selectObjects(ctx, req);
  const deleted: KubeObject[] = [];
  for (const { text } of listed.items) {
    const object = JSON.parse(text) as KubeObject;
    const key = { group: rt.group, resource: rt.plural, namespace: object.metadata.namespace ?? "", name: object.metadata.name ?? "" };
    try {
      const outcome = await deleteStored(ctx.store, key, { object, text, resourceVersion: Number(object.metadata.resourceVersion) }, dryRun);
      deleted.push(outcome.object);
    } catch (err) {
      // Changed meanwhile: Kubernetes' deletecollection is best effort per item too.
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
  }
  ctx.collectGarbage();
  return { code: 200, body: { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(listed.resourceVersion) }, items: deleted } };
}
