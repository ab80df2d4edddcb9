import type { IncomingHttpHeaders } from "node:http";
import { statusErrors } from "../api/status.js";
import type { Authorizer } from "../rbac/authorizer.js";
import type { RequestAttributes } from "../rbac/policy-rule.js";
import { AUTHENTICATED, parseServiceAccountUsername, serviceAccountGroups, UNAUTHENTICATED, type UserInfo } from "./user.js";

const EXTRA_PREFIX = "impersonate-extra-";

const headerValues = (value: string | string[] | undefined): string[] =>
  value === undefined
    ? []
    : (Array.isArray(value) ? value : [value])
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter((v) => v !== "");

/**
 * The user a request acts as: `requester` itself, or who the Impersonate-User/-Group/-Uid/-Extra-* headers name
 * when `requester` may `impersonate` each of them (users, groups, serviceaccounts, uids, userextras), as
 * Kubernetes' impersonation filter. Throws 400 for groups without a user, 403 for an impersonation not allowed.
 */
export function impersonatedUser(requester: UserInfo, headers: IncomingHttpHeaders, authorizer: Authorizer): UserInfo {
  const users = headerValues(headers["impersonate-user"]);
  const groups = headerValues(headers["impersonate-group"]);
  const uids = headerValues(headers["impersonate-uid"]);
  const extraHeaders = Object.keys(headers).filter((h) => h.startsWith(EXTRA_PREFIX));
  if (users.length === 0) {
    if (groups.length > 0 || uids.length > 0 || extraHeaders.length > 0) {
      throw statusErrors.badRequest("requested impersonation of groups, uid or extra without impersonating a user");
    }
    return requester;
  }
  if (users.length > 1 || uids.length > 1) throw statusErrors.badRequest("only one user and one uid can be impersonated at a time");
  const username = users[0]!;
  const check = (attrs: RequestAttributes) => authorizer.check(requester, attrs);
  const impersonate = (apiGroup: string, resource: string, name: string, namespace = "", subresource = ""): RequestAttributes => ({
    resourceRequest: true,
    verb: "impersonate",
    apiGroup,
    apiVersion: "v1",
    resource,
    subresource,
    namespace,
    name,
  });

  const serviceAccount = parseServiceAccountUsername(username);
  if (serviceAccount) check(impersonate("", "serviceaccounts", serviceAccount.name, serviceAccount.namespace));
  else check(impersonate("", "users", username));
  for (const group of groups) check(impersonate("", "groups", group));
  for (const uid of uids) check(impersonate("authentication.k8s.io", "uids", uid));
  const extra: Record<string, string[]> = {};
  for (const header of extraHeaders) {
    const key = decodeURIComponent(header.slice(EXTRA_PREFIX.length));
    const values = headerValues(headers[header]);
    for (const value of values) check(impersonate("authentication.k8s.io", "userextras", value, "", key));
    extra[key] = values;
  }

  const impersonatedGroups = [...groups];
  if (serviceAccount && groups.length === 0) impersonatedGroups.push(...serviceAccountGroups(serviceAccount.namespace));
  if (username !== "system:anonymous" && !impersonatedGroups.some((g) => g === AUTHENTICATED || g === UNAUTHENTICATED)) {
    impersonatedGroups.push(AUTHENTICATED);
  }
  return {
    username,
    ...(uids[0] !== undefined ? { uid: uids[0] } : {}),
    groups: impersonatedGroups,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
