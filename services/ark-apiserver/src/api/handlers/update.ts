import { fieldValidationFrom } from "../../admission/admit.js";
import { PreconditionFailedError } from "../../store/errors.js";
import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { checkSubresource, getOrNotFound } from "../object-key.js";
import { statusErrors } from "../status.js";
import { asKubeObject } from "../write/decode-body.js";
import { decodeObjectBody } from "../write/object-body.js";
import { checkFieldManager, isDryRun } from "../write/request-options.js";
import { updateStored } from "../write/update-object.js";

/** PUT: a full replacement, conditional on metadata.resourceVersion (required for ARK kinds, as for CRDs). */
export async function updateObject(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const { rt } = req;
  checkSubresource(req);
  checkFieldManager(req.query);
  const fieldValidation = fieldValidationFrom(req.query);
  const incoming = asKubeObject(decodeObjectBody(req));
  const name = req.name ?? "";
  if (incoming.metadata.name !== undefined && incoming.metadata.name !== name) {
    throw statusErrors.badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
  }
  const current = await getOrNotFound(ctx, req);
  const rv = incoming.metadata.resourceVersion;
  if ((rv === undefined || rv === "") && rt.group !== "") {
    throw statusErrors.invalid(
      rt,
      name,
      ["metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"],
      [{ reason: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update", field: "metadata.resourceVersion" }],
    );
  }
  if (rv !== undefined && rv !== "" && rv !== String(current.resourceVersion)) throw statusErrors.conflict(rt, name);
  try {
    const updated = await updateStored(ctx, rt, current, incoming, { subresource: req.subresource, fieldValidation, dryRun: isDryRun(req.query), user: req.user });
    return { code: 200, body: updated.object, warnings: updated.warnings };
  } catch (err) {
    if (err instanceof PreconditionFailedError) throw statusErrors.conflict(rt, name);
    throw err;
  }
}
