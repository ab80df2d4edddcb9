import { authConfigShape, busConfigShape, checkAuthConfig, commonServiceConfig, envDuration, envInt, envList, envPort, envUrl } from "@ark/service-kit";
import { z } from "zod";

export const arkApiA2aConfig = commonServiceConfig
  .extend({
    PORT: envPort().default(7184),
    /** Unset: KUBECONFIG's standard lookup (in-cluster, then ~/.kube/config); the dev stack passes the path. */
    KUBECONFIG: z.string().min(1).optional(),
    /** NATS_URL unset: the in-process bus, which only sees queries run in this process (the dev stack passes its bus). */
    ...busConfigShape,
    /** Callers authenticate as at ark-api, with the same variables; the agent cards are public. */
    ...authConfigShape,
    /** Namespaces whose Agents and Teams are served; the first also at upstream's `/agent/<name>/`. */
    ARK_A2A_NAMESPACES: envList()
      .pipe(z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "namespace names only")).min(1))
      .default(["default"]),
    /** The address clients reach this service at, as upstream builds the card URL: protocol://host:port + path. */
    ARK_A2A_LISTEN_PROTOCOL: z.enum(["http", "https"]).default("http"),
    ARK_A2A_LISTEN_HOST: z.string().min(1).default("localhost"),
    ARK_A2A_LISTEN_PORT: envPort().optional(),
    ARK_A2A_LISTEN_PATH: z
      .string()
      .regex(/^(\/[^\s]*[^/\s])?$/, "empty or a path starting with / and not ending with /")
      .default(""),
    /** A query's timeout when the message's metadata gives none (`timeout`: a duration such as 90s or 5m). */
    ARK_A2A_QUERY_TIMEOUT: envDuration().default(300_000),
    /** A task whose query has not ended this long after its timeout fails (the controller, which enforces the timeout, is not running it). */
    ARK_A2A_QUERY_GRACE: envDuration().default(30_000),
    /** Unset: the embedded PostgreSQL under $ARK_HOME/pg. */
    DATABASE_URL: envUrl({ protocols: ["postgres:", "postgresql:"] }).optional(),
    DATABASE_POOL_SIZE: envInt({ min: 1, max: 200 }).default(10),
  })
  .superRefine(checkAuthConfig);

export type ArkApiA2aConfig = z.output<typeof arkApiA2aConfig>;
