import type { Authorizer } from "../rbac/authorizer.js";
import type { RoleBindings } from "../rbac/role-bindings.js";
import type { Authenticator } from "./authenticator.js";
import type { ServiceAccountTokens } from "./service-account-tokens.js";

/** Who is calling and what they may do: built once per server, used by the request hook and the handlers. */
export interface AccessControl {
  authenticator: Authenticator;
  authorizer: Authorizer;
  bindings: RoleBindings;
  tokens: ServiceAccountTokens;
}
