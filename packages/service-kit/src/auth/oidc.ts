import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { Principal } from "./principal.js";

export type OidcVerifier = (token: string) => Promise<Principal | undefined>;

/** Asymmetric JWS algorithms OIDC_ALGORITHMS may name; `none` and the HS* family (a shared secret) never verify. */
export const OIDC_ALLOWED_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const;

export interface OidcSettings {
  OIDC_JWKS_URL?: string | undefined;
  OIDC_ISSUER?: string | undefined;
  OIDC_AUDIENCE?: string | undefined;
  OIDC_ALGORITHMS: readonly string[];
  OIDC_NAMESPACES_CLAIM: string;
  OIDC_SECRET_NAMESPACES_CLAIM: string;
  OIDC_DEFAULT_NAMESPACES: readonly string[];
}

/** Bearer JWTs checked against the issuer's JWKS (fetched and cached by jose): signature by a pinned algorithm, iss, aud and exp required. */
export function createOidcVerifier(config: OidcSettings): OidcVerifier {
  const { OIDC_JWKS_URL: jwksUrl, OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience } = config;
  if (!jwksUrl) throw new Error("OIDC_JWKS_URL is required for OIDC authentication");
  if (!issuer) throw new Error("OIDC_ISSUER is required for OIDC authentication");
  if (!audience) throw new Error("OIDC_AUDIENCE is required for OIDC authentication");
  const algorithms = config.OIDC_ALGORITHMS.filter((alg) => (OIDC_ALLOWED_ALGORITHMS as readonly string[]).includes(alg));
  if (algorithms.length === 0) throw new Error(`OIDC_ALGORITHMS names none of ${OIDC_ALLOWED_ALGORITHMS.join(", ")}`);
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience, algorithms, requiredClaims: ["exp", "iss", "aud"] });
      const namespaces = namespacesClaim(payload, config.OIDC_NAMESPACES_CLAIM) ?? config.OIDC_DEFAULT_NAMESPACES;
      const secretNamespaces = namespacesClaim(payload, config.OIDC_SECRET_NAMESPACES_CLAIM) ?? [];
      const groups = namespacesClaim(payload, "groups");
      const roles = namespacesClaim(payload, "roles");
      return { id: `oidc:${payload.sub ?? "unknown"}`, via: "oidc", namespaces, secretNamespaces, ...(groups ? { groups } : {}), ...(roles ? { roles } : {}) };
    } catch {
      return undefined;
    }
  };
}

/** A claim holding a list: an array, or a comma-separated string. */
function namespacesClaim(payload: JWTPayload, claim: string): string[] | undefined {
  const value = payload[claim];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  return undefined;
}
