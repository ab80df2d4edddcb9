import { busConfigShape, commonServiceConfig, envEnum, envInt, envList, envPort, envUrl } from "@ark/service-kit";
import { z } from "zod";

const authModes = ["apikey", "oidc", "none"] as const;
type AuthMode = (typeof authModes)[number];

export const arkApiConfig = commonServiceConfig.extend({
  PORT: envPort().default(8000),
  /** Unset: KUBECONFIG, in-cluster config or ~/.kube/config (client-node's default order). */
  KUBECONFIG: z.string().min(1).optional(),
  /** NATS_URL unset: the in-process bus the dev stack passes to start(). */
  ...busConfigShape,
  /** Comma list of apikey and oidc; `none` switches auth off and must be set explicitly (the local stack does). */
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
  /** Token claim listing the namespaces a user may use (array or comma string); `*` means all. */
  OIDC_NAMESPACES_CLAIM: z.string().min(1).default("ark_namespaces"),
  /** Namespaces for a token without that claim. */
  OIDC_DEFAULT_NAMESPACES: envList().default([]),
  /** Comma list of allowed origins, or `*`; empty: no cross-origin requests. */
  CORS_ORIGINS: envList().default([]),
  /** Requests per minute per API key (per address without one); 0 switches the limit off. */
  RATE_LIMIT_PER_MINUTE: envInt({ min: 0 }).default(600),
  /** Longest `?wait=` a client may ask for, and the OpenAI door's wait for a non-streamed answer. */
  MAX_WAIT_SECONDS: envInt({ min: 1 }).default(300),
}).superRefine((config, ctx) => {
  if (config.ARK_API_AUTH.includes("oidc") && !config.OIDC_JWKS_URL) {
    ctx.addIssue({ code: "custom", path: ["OIDC_JWKS_URL"], message: "is required when ARK_API_AUTH includes oidc" });
  }
});

export type ArkApiConfig = z.output<typeof arkApiConfig>;
