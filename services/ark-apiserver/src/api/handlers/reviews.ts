import type { UserInfo } from "../../auth/user.js";
import { isPlainObject, type KubeObject } from "../../kube-object.js";
import type { PolicyRule, RequestAttributes } from "../../rbac/policy-rule.js";
import type { ApiContext, ApiReply, ResourceRequest } from "../context.js";
import { statusErrors } from "../status.js";
import { asKubeObject } from "../write/decode-body.js";
import { decodeObjectBody } from "../write/object-body.js";

type Review = (ctx: ApiContext, req: ResourceRequest, user: UserInfo, body: KubeObject) => Promise<Record<string, unknown>> | Record<string, unknown>;

/**
 * The review kinds (authorization.k8s.io access and rules reviews, authentication.k8s.io token and self reviews):
 * answered on POST from the caller's identity and RBAC, never stored. `kubectl auth can-i` and `auth whoami` post them.
 */
export async function createReview(ctx: ApiContext, req: ResourceRequest): Promise<ApiReply> {
  const { rt } = req;
  if (req.name !== undefined) throw statusErrors.methodNotAllowed(`POST is not supported on a single ${rt.singular}`);
  const user = req.user;
  if (!user) throw statusErrors.unauthorized();
  const body = asKubeObject(decodeObjectBody(req));
  const review = REVIEWS[rt.kind];
  if (!review) throw statusErrors.pathNotFound();
  const status = await review(ctx, req, user, body);
  const metadata = { ...(req.namespace !== undefined ? { namespace: req.namespace } : {}), creationTimestamp: null };
  const spec = isPlainObject(body.spec) ? { spec: body.spec } : {};
  return { code: 201, body: { kind: rt.kind, apiVersion: `${rt.group}/${rt.version}`, metadata, ...spec, status } };
}

const REVIEWS: Record<string, Review> = {
  SelfSubjectAccessReview: (ctx, req, user, body) => accessReview(ctx, req, user, body),
  SubjectAccessReview: (ctx, req, _user, body) => accessReview(ctx, req, subjectOf(req, body), body),
  LocalSubjectAccessReview: (ctx, req, _user, body) => accessReview(ctx, req, subjectOf(req, body), body),
  SelfSubjectRulesReview: (ctx, req, user, body) => rulesReview(ctx, req, user, body),
  SelfSubjectReview: (_ctx, _req, user) => ({ userInfo: userInfoOf(user) }),
  TokenReview: async (ctx, req, _user, body) => {
    const spec = specOf(body);
    const token = typeof spec.token === "string" ? spec.token : "";
    if (token === "") throw invalid(req, "spec.token", token, "a token is required");
    const audiences = stringList(spec.audiences);
    const reviewed = audiences.length > 0 ? await ctx.access.authenticator.authenticateServiceAccount(token, audiences) : await ctx.access.authenticator.authenticate(`Bearer ${token}`);
    if (!reviewed) return { authenticated: false, user: {}, error: "invalid bearer token" };
    return { authenticated: true, user: userInfoOf(reviewed), ...(audiences.length > 0 ? { audiences } : {}) };
  },
};

function accessReview(ctx: ApiContext, req: ResourceRequest, subject: UserInfo, body: KubeObject): Record<string, unknown> {
  const spec = specOf(body);
  const resource = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const nonResource = isPlainObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  if ((resource === undefined) === (nonResource === undefined)) {
    throw invalid(req, "spec.resourceAttributes", resource ?? null, "exactly one of nonResourceAttributes or resourceAttributes must be specified");
  }
  const str = (value: unknown) => (typeof value === "string" ? value : "");
  let attrs: RequestAttributes;
  if (resource) {
    let namespace = str(resource.namespace);
    if (req.rt.kind === "LocalSubjectAccessReview") {
      if (namespace !== "" && namespace !== req.namespace) {
        throw invalid(req, "spec.resourceAttributes.namespace", namespace, `must match metadata.namespace "${req.namespace ?? ""}"`);
      }
      namespace = req.namespace ?? "";
    }
    attrs = {
      resourceRequest: true,
      verb: str(resource.verb),
      apiGroup: str(resource.group),
      apiVersion: str(resource.version),
      resource: str(resource.resource),
      subresource: str(resource.subresource),
      namespace,
      name: str(resource.name),
    };
  } else {
    if (req.rt.kind === "LocalSubjectAccessReview") throw invalid(req, "spec.nonResourceAttributes", nonResource, "disallowed on this kind of request");
    attrs = { resourceRequest: false, verb: str(nonResource!.verb), path: str(nonResource!.path) };
  }
  const decision = ctx.access.authorizer.authorize(subject, attrs);
  return { allowed: decision.allowed, ...(decision.reason ? { evaluationError: decision.reason } : {}) };
}

function rulesReview(ctx: ApiContext, req: ResourceRequest, user: UserInfo, body: KubeObject): Record<string, unknown> {
  const namespace = specOf(body).namespace;
  if (typeof namespace !== "string" || namespace === "") throw invalid(req, "spec.namespace", namespace ?? "", "namespace is required");
  const { rules, errors } = ctx.access.authorizer.rulesFor(user, namespace);
  const resourceRules = rules.filter((r) => !r.nonResourceURLs || r.nonResourceURLs.length === 0).map(resourceRule);
  const nonResourceRules = rules.filter((r) => r.nonResourceURLs && r.nonResourceURLs.length > 0).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }));
  return { resourceRules, nonResourceRules, incomplete: false, ...(errors.length > 0 ? { evaluationError: errors.join(", ") } : {}) };
}

function resourceRule(rule: PolicyRule): Record<string, unknown> {
  return {
    verbs: rule.verbs,
    ...(rule.apiGroups ? { apiGroups: rule.apiGroups } : {}),
    ...(rule.resources ? { resources: rule.resources } : {}),
    ...(rule.resourceNames && rule.resourceNames.length > 0 ? { resourceNames: rule.resourceNames } : {}),
  };
}

/** The user a SubjectAccessReview asks about: spec.user, spec.groups (at least one), spec.uid, spec.extra. */
function subjectOf(req: ResourceRequest, body: KubeObject): UserInfo {
  const spec = specOf(body);
  const username = typeof spec.user === "string" ? spec.user : "";
  const groups = stringList(spec.groups);
  if (username === "" && groups.length === 0) throw invalid(req, "spec.user", username, "at least one of user or group must be specified");
  const extra: Record<string, string[]> = {};
  if (isPlainObject(spec.extra)) {
    // JSON carries lists; protobuf ExtraValue messages ({items}).
    for (const [k, v] of Object.entries(spec.extra)) extra[k] = stringList(isPlainObject(v) ? v.items : v);
  }
  return {
    username,
    groups,
    ...(typeof spec.uid === "string" && spec.uid !== "" ? { uid: spec.uid } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

function userInfoOf(user: UserInfo): Record<string, unknown> {
  return {
    username: user.username,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups,
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

const specOf = (body: KubeObject): Record<string, unknown> => (isPlainObject(body.spec) ? body.spec : {});
const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

function invalid(req: ResourceRequest, field: string, value: unknown, detail: string) {
  return statusErrors.invalid(req.rt, "", [`${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`], [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field }]);
}
