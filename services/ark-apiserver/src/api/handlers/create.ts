import { admit, fieldValidationFrom } from "../../admission/admit.js";
import { checkRbacWrite } from "../../rbac/escalation.js";
import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { statusErrors } from "../status.js";
import { asKubeObject } from "../write/decode-body.js";
import { newObject } from "../write/new-object.js";
import { checkNamespaceAcceptsObjects, persistCreate } from "../write/persist.js";
import { checkFieldManager, isDryRun } from "../write/request-options.js";
import { decodeObjectBody } from "../write/object-body.js";

export async function createObject(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const { rt } = req;
  if (req.name !== undefined) throw statusErrors.methodNotAllowed(`POST is not supported on a single ${rt.singular}`);
  checkFieldManager(req.query);
  const fieldValidation = fieldValidationFrom(req.query);
  const body = asKubeObject(decodeObjectBody(req));
  const admitted = admit(rt, newObject(rt, body, req.namespace), { fieldValidation, operation: "create" });
  const name = admitted.object.metadata.name ?? "";
  checkRbacWrite(ctx.access, req.user, rt, admitted.object);
  if (rt.namespaced) await checkNamespaceAcceptsObjects(ctx, rt, req.namespace ?? "", name);
  const created = await persistCreate(ctx, rt, admitted.object, isDryRun(req.query));
  return { code: 201, body: created, warnings: admitted.warnings };
}
