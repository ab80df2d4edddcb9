import { createHmac, timingSafeEqual } from "node:crypto";

/** The service postgres-memory's tokens are minted for (the worker mints, postgres-memory checks). */
export const MEMORY_TOKEN_AUDIENCE = "postgres-memory";

/** The service evaluator-llm's tokens are minted for (the controller mints one per evaluation namespace). */
export const EVALUATOR_TOKEN_AUDIENCE = "evaluator-llm";

/**
 * A bearer token that opens one namespace of one service: `<namespace>.<HMAC-SHA256(secret, service/namespace)>`.
 * The worker mints one per Memory namespace and the service checks it with the same secret, so a token that
 * reaches a tenant's own address opens only that tenant's namespace.
 */
export function namespaceToken(secret: string, service: string, namespace: string): string {
  return `${namespace}.${mac(secret, service, namespace)}`;
}

/** The namespace the token opens, or undefined when it is not one minted with this secret for this service. */
export function verifyNamespaceToken(secret: string, service: string, token: string): string | undefined {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match || match[1]!.length > 63) return undefined;
  const namespace = match[1]!;
  const expected = Buffer.from(mac(secret, service, namespace));
  const given = Buffer.from(match[3]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? namespace : undefined;
}

function mac(secret: string, service: string, namespace: string): string {
  return createHmac("sha256", secret).update(`${service}/${namespace}`).digest("base64url");
}
