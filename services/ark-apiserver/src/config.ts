import { commonServiceConfig, envBoolean, envDuration, envInt, envList, envPort, envUrl } from "@ark/service-kit";
import { ARK_SERVICE_IDENTITIES } from "@ark/types";
import { z } from "zod";

/** sun_path is 108 bytes on Linux (104 on macOS), NUL included. */
export const MAX_SOCKET_PATH_BYTES = 103;

export const apiServerConfig = commonServiceConfig.extend({
  PORT: envPort().default(6443),
  /** Unset: the embedded PostgreSQL under $ARK_HOME/pg. */
  DATABASE_URL: envUrl({ protocols: ["postgres:", "postgresql:"] }).optional(),
  /** Unset: generated once and kept in $ARK_HOME/apiserver-token. */
  ARK_APISERVER_TOKEN: z.string().min(16).optional(),
  ARK_APISERVER_TLS: envBoolean().default(true),
  /** Where the clients' kubeconfig is written (default $ARK_HOME/kubeconfig): compose shares this folder, not $ARK_HOME's keys. */
  ARK_APISERVER_KUBECONFIG: z.string().min(1).optional(),
  /**
   * Services started beside it (compose) that get their own ServiceAccount, with the rules of @ark/types'
   * service-rules.ts, and a kubeconfig `kubeconfig-<identity>` carrying its token instead of the admin's.
   */
  ARK_APISERVER_SERVICE_KUBECONFIGS: envList()
    .pipe(z.array(z.enum(ARK_SERVICE_IDENTITIES)))
    .default([]),
  /** Where those kubeconfigs are written (default: beside ARK_APISERVER_KUBECONFIG). */
  ARK_APISERVER_SERVICE_KUBECONFIG_DIR: z.string().min(1).optional(),
  /** The namespace of those ServiceAccounts, of the controller's Lease and of ark-api's keys. */
  ARK_APISERVER_SERVICE_NAMESPACE: z.string().min(1).default("ark-system"),
  /** Namespaces whose Secrets ark-api manages for its callers (the chart's ark-api.secretNamespaces). */
  ARK_APISERVER_SECRET_NAMESPACES: envList().default(["default"]),
  /** The server URL written into the kubeconfig (default: the address it listens on). */
  ARK_APISERVER_PUBLIC_URL: envUrl({ protocols: ["http:", "https:"] }).optional(),
  /**
   * Also serve the API as plain HTTP on this Unix socket (mode 0600, same token), for clients on the same machine:
   * the dev stack's own services talk through it without TLS. Unset: no socket.
   */
  ARK_APISERVER_SOCKET: z
    .string()
    .min(1)
    .refine((path) => Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES, `a Unix socket path holds at most ${MAX_SOCKET_PATH_BYTES} bytes`)
    .optional(),
  /** Watch history: the newest N changes are kept (older resourceVersions get 410 Gone)… */
  WATCH_HISTORY_LIMIT: envInt({ min: 1 }).default(100_000),
  /** …and none older than this. */
  WATCH_HISTORY_MAX_AGE: envDuration().default(15 * 60_000),
  WATCH_BOOKMARK_INTERVAL: envDuration().default(60_000),
  /** Objects of every kind but Events in one namespace; a create beyond it is 403 "exceeded quota". */
  ARK_APISERVER_MAX_OBJECTS_PER_NAMESPACE: envInt({ min: 1 }).default(20_000),
  /** Objects of one kind in the whole server (Namespaces and other cluster-scoped kinds included). */
  ARK_APISERVER_MAX_OBJECTS_PER_KIND: envInt({ min: 1 }).default(100_000),
  /**
   * Events (each of core/v1 and events.k8s.io/v1) in one namespace, outside the namespace's object count. A new Event
   * beyond it is stored and the least recently written ones are deleted: an Event is never refused.
   */
  ARK_APISERVER_MAX_EVENTS_PER_NAMESPACE: envInt({ min: 1 }).default(50_000),
  /** Events whose last activity (lastTimestamp, eventTime, series) is older than this are deleted, as Kubernetes' --event-ttl. */
  ARK_APISERVER_EVENT_TTL: envDuration().default(60 * 60_000),
  /** Open watches per client (per bearer token); beyond it a watch is answered 429 with Retry-After. */
  ARK_APISERVER_MAX_WATCHES_PER_CLIENT: envInt({ min: 1 }).default(500),
  /** A watch whose client leaves more than this unread in the server's send buffer is closed (the client resumes from its last resourceVersion). */
  ARK_APISERVER_WATCH_BUFFER_BYTES: envInt({ min: 64 * 1024 }).default(8 * 1024 * 1024),
  DATABASE_POOL_SIZE: envInt({ min: 2, max: 200 }).default(20),
  BODY_LIMIT_BYTES: envInt({ min: 1 }).default(3 * 1024 * 1024),
});

export type ApiServerConfig = z.output<typeof apiServerConfig>;
