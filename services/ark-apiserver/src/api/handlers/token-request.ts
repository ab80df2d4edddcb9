import { isPlainObject } from "../../kube-object.js";
import { API_AUDIENCES, DEFAULT_TOKEN_SECONDS } from "../../auth/service-account-tokens.js";
import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { getOrNotFound } from "../object-key.js";
import { statusErrors } from "../status.js";
import { asKubeObject } from "../write/decode-body.js";
import { timestamp } from "../write/object-meta.js";
import { decodeObjectBody } from "../write/object-body.js";

const TOKEN_REQUEST = { group: "authentication.k8s.io", kind: "TokenRequest" };
const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;

/** POST serviceaccounts/<name>/token (`kubectl create token`): a signed token of that ServiceAccount, as TokenRequest. */
export async function createServiceAccountToken(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const body = asKubeObject(decodeObjectBody(req));
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const invalid = (field: string, value: unknown, detail: string) =>
    statusErrors.invalid(TOKEN_REQUEST, "", [`${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`], [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field }]);
  const seconds = spec.expirationSeconds ?? DEFAULT_TOKEN_SECONDS;
  if (typeof seconds !== "number" || !Number.isInteger(seconds)) throw invalid("spec.expirationSeconds", seconds, "must be an integer");
  if (seconds < MIN_SECONDS) throw invalid("spec.expirationSeconds", seconds, "may not specify a duration less than 10 minutes");
  if (seconds > MAX_SECONDS) throw invalid("spec.expirationSeconds", seconds, "may not specify a duration larger than 2^32 seconds");
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences : API_AUDIENCES;
  if (!audiences.every((a): a is string => typeof a === "string" && a !== "")) throw invalid("spec.audiences", audiences, "must be non-empty strings");
  if (spec.boundObjectRef !== undefined && spec.boundObjectRef !== null) {
    throw invalid("spec.boundObjectRef", spec.boundObjectRef, "tokens bound to objects are not supported by ark-apiserver; the token is bound to its ServiceAccount");
  }
  const sa = (await getOrNotFound(ctx, req)).object;
  const uid = sa.metadata.uid ?? "";
  if (sa.metadata.deletionTimestamp) throw statusErrors.forbidden(req.rt, req.name ?? "", "the ServiceAccount is being deleted");
  const issued = ctx.access.tokens.issue({ namespace: req.namespace ?? "", name: req.name ?? "", uid }, { expirationSeconds: seconds, audiences });
  return {
    code: 201,
    body: {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name: req.name, namespace: req.namespace, creationTimestamp: null },
      spec: { audiences, expirationSeconds: seconds, boundObjectRef: null },
      status: { token: issued.token, expirationTimestamp: timestamp(issued.expiresAt) },
    },
  };
}
