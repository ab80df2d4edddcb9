import { admit, fieldValidationFrom } from "../../admission/admit.js";
import { isPlainObject, type KubeObject } from "../../kube-object.js";
import { checkRbacWrite } from "../../rbac/escalation.js";
import type { ResourceType } from "../../resource-type.js";
import { isEventResource } from "../../resources/events.js";
import { InvalidKeyError } from "../../store/errors.js";
import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { statusErrors, StatusError, successStatus, type Status } from "../status.js";
import { asKubeObject } from "../write/decode-body.js";
import { newObject } from "../write/new-object.js";
import { checkNamespaceAcceptsObjects, persistCreate } from "../write/persist.js";
import { checkFieldManager, isDryRun } from "../write/request-options.js";
import { decodeObjectBody } from "../write/object-body.js";

/** The most Events one List create may carry (docs/architecture.md §2). */
export const MAX_EVENTS_PER_LIST = 500;

export async function createObject(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const { rt } = req;
  if (req.name !== undefined) throw statusErrors.methodNotAllowed(`POST is not supported on a single ${rt.singular}`);
  checkFieldManager(req.query);
  const body = asKubeObject(decodeObjectBody(req));
  if (body.kind === "List" && body.apiVersion === "v1" && isCoreEvents(rt)) return createEventList(ctx, req, body);
  const { object, warnings } = await createOne(ctx, req, body);
  return { code: 201, body: object, warnings };
}

/** One create, every step of it: admission, RBAC's escalation check, the namespace's lifecycle, quotas, storage. */
async function createOne(ctx: ApiContext, req: ResourceRequest, body: KubeObject): Promise<{ object: KubeObject; warnings: string[] }> {
  const { rt } = req;
  const admitted = admit(rt, newObject(rt, body, req.namespace), { fieldValidation: fieldValidationFrom(req.query), operation: "create" });
  const name = admitted.object.metadata.name ?? "";
  checkRbacWrite(ctx.access, req.user, rt, admitted.object);
  if (rt.namespaced) await checkNamespaceAcceptsObjects(ctx, rt, req.namespace ?? "", name);
  const created = await persistCreate(ctx, rt, admitted.object, isDryRun(req.query));
  return { object: created, warnings: admitted.warnings };
}

function isCoreEvents(rt: ResourceType): boolean {
  return rt.group === "" && isEventResource(rt.group, rt.plural);
}

/**
 * ARK's one extension of the Kubernetes API (docs/architecture.md §2): a `v1` List of core Events POSTed to a
 * namespace's events creates each as its own POST would (same admission, quotas and storage; one group-commit
 * transaction for them all) and answers 200 with a List of one Status per item, in order: Success with the Event's
 * name and uid, or the Failure its own POST would have answered. kube-apiserver answers such a body 400 (the kind does
 * not match), which is how `EventRecorder` knows to send its Events one by one there.
 */
async function createEventList(ctx: ApiContext, req: ResourceRequest, list: KubeObject): Promise<ApiReply> {
  const items = (list as { items?: unknown }).items;
  if (!Array.isArray(items) || items.length === 0) throw statusErrors.badRequest("items: a List of Events needs at least one item");
  if (items.length > MAX_EVENTS_PER_LIST) throw statusErrors.requestEntityTooLarge(`items: a List of Events holds at most ${MAX_EVENTS_PER_LIST}, got ${items.length}`);
  const warnings = new Set<string>();
  const outcomes = await Promise.all(
    items.map(async (item, i): Promise<Status> => {
      try {
        if (!isPlainObject(item)) throw statusErrors.badRequest(`items[${i}]: must be a JSON object`);
        const created = await createOne(ctx, req, asKubeObject(item));
        for (const warning of created.warnings) warnings.add(warning);
        return successStatus(req.rt, created.object.metadata.name ?? "", created.object.metadata.uid);
      } catch (err) {
        if (err instanceof StatusError) return err.status;
        if (err instanceof InvalidKeyError) return statusErrors.badRequest(err.message).status;
        // Anything else (the database away, a bug) fails the request as a whole, as it would have failed each create.
        throw err;
      }
    }),
  );
  return { code: 200, body: { apiVersion: "v1", kind: "List", metadata: {}, items: outcomes }, warnings: [...warnings] };
}
