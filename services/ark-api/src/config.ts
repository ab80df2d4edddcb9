import { authConfigShape, busConfigShape, checkAuthConfig, commonServiceConfig, envInt, envList, envPort } from "@ark/service-kit";
import { z } from "zod";

export const arkApiConfig = commonServiceConfig
  .extend({
    PORT: envPort().default(8000),
    /** Unset: KUBECONFIG, in-cluster config or ~/.kube/config (client-node's default order). */
    KUBECONFIG: z.string().min(1).optional(),
    /** NATS_URL unset: the in-process bus the dev stack passes to start(). */
    ...busConfigShape,
    /** ARK_API_AUTH (apikey, oidc, or none explicitly), the admin key, where keys live, OIDC settings. */
    ...authConfigShape,
    /** Comma list of origins (`http://localhost:3000`) allowed with credentials; `*` alone: any origin, never with credentials. Empty: none. */
    CORS_ORIGINS: envList()
      .pipe(z.array(z.union([z.literal("*"), z.url().refine((origin) => URL.canParse(origin) && new URL(origin).origin === origin, "must be an origin (scheme://host[:port])")])))
      .refine((origins) => !origins.includes("*") || origins.length === 1, "* cannot be combined with origins")
      .default([]),
    /** Requests per minute per API key or OIDC user; the admin key and auth `none` (the local operator) are not limited. 0 switches the limit off. */
    RATE_LIMIT_PER_MINUTE: envInt({ min: 0 }).default(600),
    /** Event streams (query events, streamed completions) one principal may hold open at once; beyond it 429. */
    MAX_STREAMS_PER_PRINCIPAL: envInt({ min: 1 }).default(32),
    /**
     * What ark-api keeps of recent queries' events (MiB of their JSON as the bus stores them) to replay to an event
     * stream without reading the bus; 0 keeps none (docs/architecture.md §3).
     */
    EVENT_REPLAY_MB: envInt({ min: 0, max: 1024 }).default(8),
    /** Longest `?wait=` a client may ask for, and the OpenAI door's wait for a non-streamed answer. */
    MAX_WAIT_SECONDS: envInt({ min: 1 }).default(300),
    /** The namespace of upstream-style routes (`/v1/agents`) called without `?namespace=` (upstream: its current context's). */
    DEFAULT_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a lowercase RFC 1123 label")
      .default("default"),
    /** postgres-memory's MEMORY_AUTH_SECRET, to read and delete sessions (/v1/namespaces/{ns}/sessions); unset: no token is sent. */
    MEMORY_AUTH_SECRET: z.string().min(32).optional(),
  })
  .superRefine(checkAuthConfig);

export type ArkApiConfig = z.output<typeof arkApiConfig>;
