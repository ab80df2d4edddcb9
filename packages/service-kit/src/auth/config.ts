import { z } from "zod";
import { envInt, envList, envUrl } from "../config/env-types.js";
import { OIDC_ALLOWED_ALGORITHMS } from "./oidc.js";

const authModes = ["apikey", "oidc", "none"] as const;
export type AuthMode = (typeof authModes)[number];

/** How a service authenticates its callers: ark-api's API keys, OIDC, or (explicitly) none. */
export const authConfigShape = {
  /** Comma list of apikey and oidc; `none` switches auth off and must be set explicitly. */
  ARK_API_AUTH: envList()
    .pipe(z.array(z.enum(authModes)).min(1))
    .refine((modes) => !modes.includes("none") || modes.length === 1, "none cannot be combined with other modes")
    .default(["apikey"]),
  /** A key with access to every namespace and to key management, for bootstrapping the first keys. */
  ARK_API_ADMIN_KEY: z.string().min(16).optional(),
  /** The admin key stored hashed: a file holding its sha256 in hex (compose's bootstrap writes it). */
  ARK_API_ADMIN_KEY_SHA256_FILE: z.string().min(1).optional(),
  /** Where API keys are stored, as hashed Secrets. */
  ARK_API_KEYS_NAMESPACE: z.string().min(1).default("ark-system"),
  OIDC_ISSUER: z.string().min(1).optional(),
  OIDC_JWKS_URL: envUrl({ protocols: ["http:", "https:"] }).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  /** Signature algorithms a token may use; `none` and HS* (shared secrets) are not accepted. */
  OIDC_ALGORITHMS: envList()
    .pipe(z.array(z.enum(OIDC_ALLOWED_ALGORITHMS)).min(1))
    .default(["RS256", "ES256"]),
  /** Token claim listing the namespaces a user may use (array or comma string); `*` means all. */
  OIDC_NAMESPACES_CLAIM: z.string().min(1).default("ark_namespaces"),
  /** Token claim listing the namespaces whose Secrets the user's queries may read; absent: none. */
  OIDC_SECRET_NAMESPACES_CLAIM: z.string().min(1).default("ark_secret_namespaces"),
  /** Namespaces for a token without that claim. */
  OIDC_DEFAULT_NAMESPACES: envList().default([]),
  /** Failed authentications per client address per minute; beyond it the address gets 429 before its credentials are checked. 0: no limit. */
  AUTH_FAILURES_PER_MINUTE: envInt({ min: 0 }).default(20),
};

export interface AuthConfig {
  ARK_API_AUTH: AuthMode[];
  ARK_API_ADMIN_KEY?: string | undefined;
  ARK_API_ADMIN_KEY_SHA256_FILE?: string | undefined;
  ARK_API_KEYS_NAMESPACE: string;
  OIDC_ISSUER?: string | undefined;
  OIDC_JWKS_URL?: string | undefined;
  OIDC_AUDIENCE?: string | undefined;
  OIDC_ALGORITHMS: string[];
  OIDC_NAMESPACES_CLAIM: string;
  OIDC_SECRET_NAMESPACES_CLAIM: string;
  OIDC_DEFAULT_NAMESPACES: string[];
  AUTH_FAILURES_PER_MINUTE: number;
}

/** With OIDC on, the JWKS, issuer and audience are required: a token for another audience must not open this service. */
export function checkAuthConfig(config: AuthConfig, ctx: z.RefinementCtx): void {
  if (!config.ARK_API_AUTH.includes("oidc")) return;
  for (const name of ["OIDC_JWKS_URL", "OIDC_ISSUER", "OIDC_AUDIENCE"] as const) {
    if (!config[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when ARK_API_AUTH includes oidc" });
  }
}
