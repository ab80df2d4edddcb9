import { busConfigShape, commonServiceConfig, envBoolean, envDuration, envInt, envList, envPort } from "@ark/service-kit";
import { z } from "zod";

export const CONTROLLER_ROLES = ["reconciler", "worker"] as const;
type ControllerRole = (typeof CONTROLLER_ROLES)[number];

const roles = envList().pipe(
  z
    .array(z.enum(CONTROLLER_ROLES, { message: `expected roles from ${CONTROLLER_ROLES.join(", ")}` }))
    .min(1, { message: "at least one role is needed" }),
);

export const controllerConfig = commonServiceConfig
  .extend({
    PORT: envPort().default(8081),
    /** Unset: KUBECONFIG's standard lookup (in-cluster, then ~/.kube/config); the dev stack passes the path. */
    KUBECONFIG: z.string().min(1).optional(),
    /** NATS_URL unset: the in-process bus, which needs both roles in this process. */
    ...busConfigShape,
    ARK_CONTROLLER_ROLES: roles.default(["reconciler", "worker"]),
    /** Queries one worker process runs at once. */
    WORKER_CONCURRENCY: envInt({ min: 1, max: 10_000 }).default(50),
    /** Deliveries of one run job before the query fails (a worker killed mid-query counts as one). */
    MAX_DELIVER: envInt({ min: 1, max: 100 }).default(3),
    /** A run not heartbeated for this long goes to another worker. */
    RUN_ACK_WAIT: envDuration().default(30_000),
    /** Reconciles in flight at once, per kind. */
    RECONCILE_CONCURRENCY: envInt({ min: 1, max: 1_000 }).default(20),
    LEADER_ELECTION: envBoolean().default(true),
    LEADER_ELECTION_NAMESPACE: z.string().min(1).default("default"),
    LEADER_ELECTION_LEASE_DURATION: envDuration().default(15_000),
    /** This replica's identity in the Lease; the hostname and pid by default. */
    POD_NAME: z.string().min(1).optional(),
    /** How often a Model is probed again once available or failed. */
    MODEL_PROBE_INTERVAL: envDuration().default(5 * 60_000),
    MODEL_PROBE_TIMEOUT: envDuration().default(30_000),
    /** How long a Query waits for its Agent, Model… to appear before failing (apply -f dir/ in any order). */
    QUERY_REFERENCE_WAIT: envDuration().default(10_000),
    /** Past a query's deadline, how long the reconciler waits for the worker's own timeout before failing it. */
    QUERY_DEADLINE_GRACE: envDuration().default(5_000),
    /**
     * Runs read what a query uses as its service account (spec.serviceAccount, else default) by impersonation, as
     * upstream does. Off by default until the API server authorizes impersonated users (it ignores the header today).
     */
    ARK_IMPERSONATE_QUERIES: envBoolean().default(false),
  });

export type ControllerConfig = z.output<typeof controllerConfig>;
