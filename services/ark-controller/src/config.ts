import { egressEntryProblems } from "@ark/engine";
import { busConfigShape, commonServiceConfig, envBoolean, envDuration, envInt, envList, envPort, envUrl } from "@ark/service-kit";
import { z } from "zod";

export const CONTROLLER_ROLES = ["reconciler", "worker"] as const;

const roles = envList().pipe(z.array(z.enum(CONTROLLER_ROLES, { message: `expected roles from ${CONTROLLER_ROLES.join(", ")}` })).min(1, { message: "at least one role is needed" }));

const egressEntries = envList().superRefine((entries, ctx) => {
  for (const problem of egressEntryProblems(entries)) ctx.addIssue({ code: "custom", message: problem });
});

export const controllerConfig = commonServiceConfig.extend({
  PORT: envPort().default(8081),
  /** Unset: KUBECONFIG's standard lookup (in-cluster, then ~/.kube/config); the dev stack passes the path. */
  KUBECONFIG: z.string().min(1).optional(),
  /** NATS_URL unset: the in-process bus, which needs both roles in this process. */
  ...busConfigShape,
  ARK_CONTROLLER_ROLES: roles.default(["reconciler", "worker"]),
  /** Queries one worker process runs at once; `auto` (default): what the process can hold (worker/worker-concurrency.ts). */
  WORKER_CONCURRENCY: z.union([z.literal("auto"), envInt({ min: 1, max: 10_000 })], { error: "expected auto or an integer between 1 and 10000" }).default("auto"),
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
   * How long a query's `running` status write waits after its run is enqueued: a run that ends sooner goes straight to
   * its final status (one write fewer; its events still show it running), a longer one shows `running` by then. 0 writes it at once.
   */
  QUERY_RUNNING_WRITE_DELAY: envDuration().default(100),
  /**
   * Runs read what a query uses as its service account (spec.serviceAccount, else default) by impersonation, as
   * upstream does: the API's RBAC then decides what a run may read. Off by default, because each namespace's
   * service accounts need a role first (README: "Queries run as their service account").
   */
  ARK_IMPERSONATE_QUERIES: envBoolean().default(false),
  /**
   * Opens addresses to tenant HTTP tools and MCP servers, which may not reach loopback, private or link-local
   * addresses nor ARK's services otherwise: IPs, CIDRs, host names, `*.suffix`, each optionally `:port`.
   */
  ARK_EGRESS_ALLOW: egressEntries.default([]),
  /** Refused to every outbound call (models, memory and MCP servers, HTTP tools), as cloud metadata addresses always are. */
  ARK_EGRESS_DENY: egressEntries.default([]),
  /** Shared with postgres-memory: the worker sends each Memory a token for the Memory's namespace. Unset: no token (memory services without auth). */
  MEMORY_AUTH_SECRET: z.string().min(32).optional(),
  /**
   * Sent as a bearer token to every ExecutionEngine (/execute, /cancel): executor-langchain's ENGINE_TOKEN; or
   * ENGINE_TOKEN_FILE. Unset: no token (engines without auth).
   */
  ENGINE_TOKEN: z.string().min(16).optional(),
  /**
   * This worker as execution engines reach it, for their tool callbacks. Unset: the listening URL, or with HOST
   * 0.0.0.0 (containers, pods) this replica's own IPv4 address, so each worker is reached itself behind a scaled service.
   */
  ENGINE_TOOL_CALLBACK_URL: envUrl({ protocols: ["http:", "https:"] }).optional(),
  /**
   * Shared with evaluator-llm: each evaluator call carries a token for the namespace of the Evaluation (or Query) it
   * judges, so the judge reads models and queries of that namespace only. Unset: no token (evaluators without auth).
   */
  EVALUATOR_AUTH_SECRET: z.string().min(32).optional(),
});

export type ControllerConfig = z.output<typeof controllerConfig>;
