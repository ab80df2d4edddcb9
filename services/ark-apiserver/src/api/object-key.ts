import type { ObjectKey } from "../kube-object.js";
import type { StoredObject } from "../store/object-store.js";
import type { ApiContext, ResourceRequest } from "./context.js";
import { statusErrors } from "./status.js";

/** The key an item request addresses. */
export function requestKey(req: ResourceRequest): ObjectKey {
  const { rt } = req;
  if (req.name === undefined || (rt.namespaced && req.namespace === undefined)) throw statusErrors.pathNotFound();
  return { group: rt.group, resource: rt.plural, namespace: rt.namespaced ? req.namespace! : "", name: req.name };
}

/** Only `/status` exists, and only on kinds that declare it. */
export function checkSubresource(req: ResourceRequest): void {
  if (req.subresource === undefined) return;
  if (req.subresource === "status" && req.rt.statusSubresource) return;
  throw statusErrors.pathNotFound();
}

export async function getOrNotFound(ctx: ApiContext, req: ResourceRequest): Promise<StoredObject> {
  const stored = await ctx.store.get(requestKey(req));
  if (!stored) throw statusErrors.notFound(req.rt, req.name ?? "");
  return stored;
}
