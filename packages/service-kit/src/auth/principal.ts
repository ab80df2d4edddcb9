import type { FastifyRequest } from "fastify";
import { ArkError } from "../errors/ark-error.js";

export const ALL_NAMESPACES = "*";

/** Who is calling and which namespaces they may use (`*`: all, and key management). */
export interface Principal {
  id: string;
  via: "apikey" | "oidc" | "admin-key" | "auth-off";
  namespaces: readonly string[];
  /** Namespaces whose Secret values the principal may have a Query read (parameters from a Secret); `*`: all. */
  secretNamespaces: readonly string[];
  /** OIDC: the token's `groups` and `roles` claims (a ToolApprovalRequest's approvers may name them). */
  groups?: readonly string[];
  roles?: readonly string[];
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function canUseNamespace(principal: Principal, namespace: string): boolean {
  return principal.namespaces.includes(ALL_NAMESPACES) || principal.namespaces.includes(namespace);
}

export function canReadSecretsIn(principal: Principal, namespace: string): boolean {
  return principal.secretNamespaces.includes(ALL_NAMESPACES) || principal.secretNamespaces.includes(namespace);
}

/** Throws 403 naming the namespace unless the principal may use it. */
export function requirePrincipalNamespace(principal: Principal, namespace: string): void {
  if (!canUseNamespace(principal, namespace)) throw new ArkError("FORBIDDEN", `${principal.id} may not use namespace ${namespace}`);
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ArkError("UNAUTHENTICATED", "authentication required");
  return request.principal;
}

export function requireNamespace(request: FastifyRequest, namespace: string): void {
  requirePrincipalNamespace(principalOf(request), namespace);
}

/** Namespace creation and key management need access to every namespace. */
export function requireAllNamespaces(request: FastifyRequest): void {
  const principal = principalOf(request);
  if (!principal.namespaces.includes(ALL_NAMESPACES)) {
    throw new ArkError("FORBIDDEN", `${principal.id} needs access to all namespaces for this`);
  }
}

export function visibleNamespaces(request: FastifyRequest, names: string[]): string[] {
  const principal = principalOf(request);
  return names.filter((name) => canUseNamespace(principal, name));
}
