import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { ArkApiConfig } from "../config.js";
import type { Principal } from "./principal.js";

export type OidcVerifier = (token: string) => Promise<Principal | undefined>;

/** Bearer JWTs checked against the issuer's JWKS (fetched and cached by jose), issuer and audience. */
export function createOidcVerifier(config: Pick<ArkApiConfig, "OIDC_JWKS_URL" | "OIDC_ISSUER" | "OIDC_AUDIENCE" | "OIDC_NAMESPACES_CLAIM" | "OIDC_DEFAULT_NAMESPACES">): OidcVerifier {
  if (!config.OIDC_JWKS_URL) throw new Error("OIDC_JWKS_URL is required for OIDC authentication");
  const jwks = createRemoteJWKSet(new URL(config.OIDC_JWKS_URL));
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, jwks, {
        ...(config.OIDC_ISSUER ? { issuer: config.OIDC_ISSUER } : {}),
        ...(config.OIDC_AUDIENCE ? { audience: config.OIDC_AUDIENCE } : {}),
      });
      const namespaces = namespacesClaim(payload, config.OIDC_NAMESPACES_CLAIM) ?? config.OIDC_DEFAULT_NAMESPACES;
      return { id: `oidc:${payload.sub ?? "unknown"}`, via: "oidc", namespaces };
    } catch {
      return undefined;
    }
  };
}

function namespacesClaim(payload: JWTPayload, claim: string): string[] | undefined {
  const value = payload[claim];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") return value.split(",").map((s) => s.trim()).filter(Boolean);
  return undefined;
}
