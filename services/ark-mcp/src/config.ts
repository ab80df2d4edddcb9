import { authConfigShape, busConfigShape, checkAuthConfig, commonServiceConfig, envDuration, envList, envPort } from "@ark/service-kit";
import { z } from "zod";

export const arkMcpConfig = commonServiceConfig
  .extend({
    PORT: envPort().default(2627),
    /** Unset: KUBECONFIG's standard lookup (in-cluster, then ~/.kube/config); the dev stack passes the path. */
    KUBECONFIG: z.string().min(1).optional(),
    /** Unset: the in-process bus, which only sees queries run in this process (the dev stack passes its bus). */
    ...busConfigShape,
    /** Callers authenticate as at ark-api, with the same variables: its API keys (ARK_API_AUTH=apikey, the default), OIDC, or `none` set explicitly. */
    ...authConfigShape,
    /** Namespace of tools and resources when a call names none (upstream's variable). */
    ARK_MCP_DEFAULT_NAMESPACE: z.string().min(1).default("default"),
    /** Host names (no port) accepted in the Host header besides loopback and cluster names; `*.example` matches subdomains, `*` any. */
    ARK_MCP_ALLOWED_HOSTS: envList().default([]),
    /** Origins accepted when a request carries Origin, besides loopback ones; `*` any. */
    ARK_MCP_ALLOWED_ORIGINS: envList().default([]),
    /** How long the `query` tool waits for an answer when the call gives no timeout (upstream: 300s). */
    ARK_MCP_QUERY_TIMEOUT: envDuration().default(300_000),
    /** An MCP session unused this long is closed. */
    ARK_MCP_SESSION_IDLE: envDuration().default(30 * 60_000),
  })
  .superRefine(checkAuthConfig);

export type ArkMcpConfig = z.output<typeof arkMcpConfig>;
