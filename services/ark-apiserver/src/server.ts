import type { InProcessApi } from "@ark/types";
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createPgPool, createService, isDatabaseUnavailable, listen, loadConfig, resolveDatabase, type Service } from "@ark/service-kit";
import type { FastifyBaseLogger } from "fastify";
import type { ApiContext } from "./api/context.js";
import { ObjectQuota } from "./api/write/object-quota.js";
import { ObjectCache } from "./cache/object-cache.js";
import type { KubeObject } from "./kube-object.js";
import { apiServerConfig, type ApiServerConfig } from "./config.js";
import { expireEvents } from "./gc/event-expiry.js";
import { GarbageCollector } from "./gc/garbage-collector.js";
import { Authenticator, type ServiceAccountUidLookup } from "./auth/authenticator.js";
import { ensureServiceIdentity as ensureIdentity, type ServiceIdentity, type ServiceIdentitySpec } from "./auth/service-identity.js";
import { ServiceAccountTokens } from "./auth/service-account-tokens.js";
import { loadOrCreateSigningKey } from "./auth/signing-key.js";
import { registerKubernetesApi } from "./http/register-api.js";
import { Authorizer } from "./rbac/authorizer.js";
import { seedBootstrapPolicy } from "./rbac/bootstrap-policy.js";
import { RoleBindings } from "./rbac/role-bindings.js";
import { RBAC_GROUP } from "./resources/builtin.js";
import { listenOnUnixSocket } from "./http/unix-socket.js";
import { inProcessApi } from "./http/in-process.js";
import { registerApiServerMetrics } from "./http/request-metrics.js";
import type { ResourceType } from "./resource-type.js";
import { servedResources } from "./resources/index.js";
import { ChangeLog } from "./store/change-log.js";
import { migrateDatabase } from "./store/migrate.js";
import { ObjectStore, type Committed, type Mutation } from "./store/object-store.js";
import type { Change } from "./store/change-log.js";
import { seedDefaultNamespace } from "./store/seed.js";
import { ensureServingCertificates, writeKubeconfig } from "./tls/index.js";
import { writeServiceKubeconfigs } from "./auth/service-kubeconfigs.js";
import { loadOrCreateToken } from "./token.js";
import { ChangeFeed } from "./watch/change-feed.js";
import { WatchHub } from "./watch/watch-hub.js";
import { WatchQuota } from "./watch/watch-quota.js";

export { apiServerConfig, MAX_SOCKET_PATH_BYTES, type ApiServerConfig } from "./config.js";
export type { UserInfo } from "./auth/user.js";
export type { PolicyRule } from "./rbac/policy-rule.js";
export type { ServiceIdentity, ServiceIdentitySpec } from "./auth/service-identity.js";

const PRUNE_INTERVAL_MS = 5_000;

export interface ApiServerOptions {
  /** A parent logger (the dev stack passes one). */
  logger?: FastifyBaseLogger;
  /** Defaults to every ARK kind plus the built-ins. */
  resources?: readonly ResourceType[];
  /** How often the garbage collector sweeps without being woken. */
  gcIntervalMs?: number;
  /** How often the change log is pruned to WATCH_HISTORY_LIMIT / WATCH_HISTORY_MAX_AGE. */
  historyPruneIntervalMs?: number;
  /**
   * ARK_APISERVER_SOCKET is a convenience (the dev stack's default): when it cannot be served (a file system without
   * Unix sockets, say), log why and go on without it instead of failing the start.
   */
  socketOptional?: boolean;
}

export interface ApiServer extends Service<ApiServerConfig> {
  readonly kubeconfigPath: string;
  /** ARK_APISERVER_SOCKET once started: the same API as plain HTTP on a Unix socket (see unixSocketKubeConfig in @ark/kube). */
  readonly socketPath: string | undefined;
  readonly token: string;
  /** PEM of the CA that signed the serving certificate (undefined without TLS). */
  readonly caPem: string | undefined;
  readonly context: ApiContext;
  /** The resource API for callers in this process, without a socket (see unixSocketKubeConfig's `inProcess` in @ark/kube). */
  readonly inProcess: InProcessApi;
}

export interface RunningApiServer {
  url: string;
  kubeconfigPath: string;
  socketPath: string | undefined;
  token: string;
  caPem: string | undefined;
  /** The resource API for callers in this process (unixSocketKubeConfig's `inProcess` in @ark/kube). */
  inProcess: InProcessApi;
  server: ApiServer;
  stop(): Promise<void>;
}

/** Starts ark-apiserver in this process (the dev stack's entry point); `config` as from the environment. */
export async function start(config: ApiServerConfig = loadConfig(apiServerConfig), options: ApiServerOptions = {}): Promise<RunningApiServer> {
  const server = await createApiServer(config, options);
  const { url, stop } = await listen(server);
  return { url, kubeconfigPath: server.kubeconfigPath, socketPath: server.socketPath, token: server.token, caPem: server.caPem, inProcess: server.inProcess, server, stop };
}

/** Builds the server (database migrated, change feed listening) without listening yet; runService calls start(). */
export async function createApiServer(config: ApiServerConfig, options: ApiServerOptions = {}): Promise<ApiServer> {
  const arkHome = resolve(config.ARK_HOME);
  await mkdir(arkHome, { recursive: true });
  const token = await loadOrCreateToken(arkHome, config.ARK_APISERVER_TOKEN);
  const hosts = [...new Set(["localhost", "127.0.0.1", "ark-apiserver", hostname(), ...(isWildcard(config.HOST) ? [] : [config.HOST])])];
  const tls = config.ARK_APISERVER_TLS ? await ensureServingCertificates(arkHome, hosts) : undefined;
  const resources = options.resources ?? servedResources();
  let context: ApiContext | undefined;

  const service = createService({
    name: "ark-apiserver",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(tls ? { https: { key: tls.keyPem, cert: tls.certPem } } : {}),
    register: (app) => registerKubernetesApi(app, context!, resources),
  });
  const log = service.log;

  const database = await resolveDatabase({ databaseUrl: config.DATABASE_URL, arkHome, logger: log });
  service.onShutdown(() => database.stop());
  const pool = createPgPool(database.url, { max: config.DATABASE_POOL_SIZE, applicationName: "ark-apiserver", logger: log });
  service.onShutdown(() => pool.end());
  try {
    await migrateDatabase(pool);
  } catch (err) {
    await service.stop().catch(() => undefined);
    throw err;
  }
  const cache = new ObjectCache();
  // Authorization reads the RBAC objects from the cache, indexed again after any of them changes.
  const bindings = new RoleBindings(cache);
  let feed: ChangeFeed | undefined;
  const store = new ObjectStore(pool, (mutation, committed) => {
    cache.noteCommitted(mutation.key, committed.resourceVersion, mutation.type === "DELETED" ? undefined : committed.text);
    // Own writes reach this process's watches and cache without waiting for the notification.
    feed?.offerLocal([changeOf(mutation, committed)]);
  });
  const changeLog = new ChangeLog(pool);
  const hub = new WatchHub();
  const observeRequest = service.metricsEnabled ? registerApiServerMetrics(service.app, service.metrics, hub, resources) : undefined;
  // While the database is away every background read fails: say so once, and once when it is back.
  let databaseAway = false;
  const onError = (err: unknown) => {
    if (!isDatabaseUnavailable(err)) return log.error({ err }, "background work failed");
    if (!databaseAway) log.warn({ err }, "the database is unreachable: requests get 503 until it is back");
    databaseAway = true;
  };
  const gc = new GarbageCollector(store, onError, options.gcIntervalMs);
  feed = new ChangeFeed(
    pool,
    changeLog,
    (changes) => {
      cache.apply(changes);
      if (changes.some((c) => c.group === RBAC_GROUP)) bindings.invalidate();
      hub.dispatch(changes);
      const deletedUids = changes.filter((c) => c.type === "DELETED").map((c) => (JSON.parse(c.object) as KubeObject).metadata.uid ?? "");
      if (deletedUids.length > 0 || changes.some((c) => c.resource === "namespaces" && c.group === "")) gc.trigger(deletedUids);
    },
    onError,
    {
      // Fell behind the retained history: reload, and end the watches (their clients resume or relist).
      onReconnected: () => {
        if (databaseAway) log.info("the database is reachable again");
        databaseAway = false;
      },
      onHistoryLost: async () => {
        log.warn({ position: cache.position }, "change feed fell behind the retained history; reloading the object cache");
        const position = await cache.load(pool);
        bindings.invalidate();
        hub.closeAll();
        return position;
      },
    },
  );
  const tokens = new ServiceAccountTokens(await loadOrCreateSigningKey(store));
  const authenticator = new Authenticator(token, tokens, serviceAccountUids(store, cache));
  const access = { authenticator, authorizer: new Authorizer(bindings), bindings, tokens };
  context = {
    store,
    changeLog,
    cache,
    hub,
    feed,
    collectGarbage: () => gc.trigger([], { foreground: true }),
    bookmarkIntervalMs: config.WATCH_BOOKMARK_INTERVAL,
    access,
    objectQuota: new ObjectQuota(cache, {
      perNamespace: config.ARK_APISERVER_MAX_OBJECTS_PER_NAMESPACE,
      perKind: config.ARK_APISERVER_MAX_OBJECTS_PER_KIND,
      eventsPerNamespace: config.ARK_APISERVER_MAX_EVENTS_PER_NAMESPACE,
    }),
    watchQuota: new WatchQuota(config.ARK_APISERVER_MAX_WATCHES_PER_CLIENT),
    watchBufferBytes: config.ARK_APISERVER_WATCH_BUFFER_BYTES,
    watchHistoryLimit: config.WATCH_HISTORY_LIMIT,
    serviceNamespace: config.ARK_APISERVER_SERVICE_NAMESPACE,
  };

  await seedDefaultNamespace(store);
  await seedBootstrapPolicy(store);
  await feed.start(await cache.load(pool));
  service.onShutdown(() => feed.stop());
  gc.start();
  service.onShutdown(() => gc.stop());
  const pruner = setInterval(() => {
    changeLog.prune(config.WATCH_HISTORY_LIMIT, config.WATCH_HISTORY_MAX_AGE / 1000).catch(onError);
  }, options.historyPruneIntervalMs ?? PRUNE_INTERVAL_MS);
  pruner.unref();
  service.onShutdown(() => clearInterval(pruner));
  let expiring: Promise<unknown> | undefined;
  const eventExpiry = setInterval(
    () => {
      expiring ??= expireEvents(cache, store, config.ARK_APISERVER_EVENT_TTL)
        .catch(onError)
        .finally(() => (expiring = undefined));
    },
    Math.min(60_000, Math.max(500, config.ARK_APISERVER_EVENT_TTL / 4)),
  );
  eventExpiry.unref();
  service.onShutdown(async () => {
    clearInterval(eventExpiry);
    await expiring;
  });
  service.addReadinessCheck("database", () => pool.query("SELECT 1"));

  const kubeconfigPath = config.ARK_APISERVER_KUBECONFIG ? resolve(config.ARK_APISERVER_KUBECONFIG) : join(arkHome, "kubeconfig");
  const ctx = context;
  let socketPath: string | undefined;
  // Once stopping, in-process callers are refused as a closed socket refuses HTTP ones.
  let stopping = false;
  return {
    name: service.name,
    config,
    app: service.app,
    log,
    metrics: service.metrics,
    metricsEnabled: service.metricsEnabled,
    databaseOutage: service.databaseOutage,
    kubeconfigPath,
    get socketPath() {
      return socketPath;
    },
    token,
    caPem: tls?.caPem,
    context: ctx,
    inProcess: inProcessApi(ctx, resources, { bodyLimitBytes: config.BODY_LIMIT_BYTES, log, stopping: () => stopping, ...(observeRequest ? { observe: observeRequest } : {}) }),
    addReadinessCheck: (name, check) => service.addReadinessCheck(name, check),
    onShutdown: (hook) => service.onShutdown(hook),
    stop: () => {
      stopping = true;
      return service.stop();
    },
    async start() {
      const { url } = await service.start();
      if (config.ARK_APISERVER_SOCKET) {
        try {
          // The same routes, hooks and token check as the TLS port (fastify's request handler), minus TLS.
          const local = await listenOnUnixSocket(config.ARK_APISERVER_SOCKET, service.app.routing);
          service.onShutdown(() => local.close());
          socketPath = local.path;
          log.info({ socket: socketPath }, `also serving plain HTTP on ${socketPath} (this OS user only)`);
        } catch (err) {
          if (!options.socketOptional) throw err;
          log.warn({ err, socket: config.ARK_APISERVER_SOCKET }, "cannot serve the API on a Unix socket; clients use the HTTPS port");
        }
      }
      const server = config.ARK_APISERVER_PUBLIC_URL ?? url;
      if (tls) {
        await writeKubeconfig({ path: kubeconfigPath, server, caPem: tls.caPem, token });
        log.info({ kubeconfig: kubeconfigPath, server }, `kubeconfig written: kubectl --kubeconfig ${kubeconfigPath} get agents`);
        if (config.ARK_APISERVER_SERVICE_KUBECONFIGS.length) {
          const written = await writeServiceKubeconfigs(ctx, {
            identities: config.ARK_APISERVER_SERVICE_KUBECONFIGS,
            dir: config.ARK_APISERVER_SERVICE_KUBECONFIG_DIR ?? dirname(kubeconfigPath),
            server,
            caPem: tls.caPem,
            serviceNamespace: config.ARK_APISERVER_SERVICE_NAMESPACE,
            secretNamespaces: config.ARK_APISERVER_SECRET_NAMESPACES,
          });
          log.info({ kubeconfigs: written }, "service kubeconfigs written (one ServiceAccount each, least privilege)");
        }
      } else {
        log.warn({ server }, "TLS is off (ARK_APISERVER_TLS=false): no kubeconfig written, kubectl sends tokens only over TLS");
      }
      return { url };
    },
  };
}

/**
 * A least-privilege identity for a service started beside this server: its ServiceAccount, a role with exactly
 * `spec` rules bound to it, and a token of it (see ServiceIdentitySpec).
 */
export function ensureServiceIdentity(server: ApiServer | RunningApiServer, spec: ServiceIdentitySpec): Promise<ServiceIdentity> {
  return ensureIdentity("server" in server ? server.server.context : server.context, spec);
}

function changeOf(mutation: Mutation, committed: Committed): Change {
  const { key } = mutation;
  return {
    rv: committed.resourceVersion,
    type: mutation.type,
    group: key.group,
    resource: key.resource,
    namespace: key.namespace,
    name: key.name,
    labels: committed.object.metadata.labels ?? {},
    object: committed.text,
    prevObject: mutation.previousText ?? null,
  };
}

/** A ServiceAccount's uid: from the cache (this process's own writes included), else the database. */
function serviceAccountUids(store: ObjectStore, cache: ObjectCache): ServiceAccountUidLookup {
  // The last parse of each cached ServiceAccount, so a token's every request does not parse it again.
  const parsed = new Map<string, { text: string; uid: string | undefined }>();
  const uidOf = (object: KubeObject | undefined) => (object && !object.metadata.deletionTimestamp ? object.metadata.uid : undefined);
  return async (namespace, name) => {
    const key = { group: "", resource: "serviceaccounts", namespace, name };
    const cached = cache.current(key);
    if (!cached) return uidOf((await store.get(key))?.object);
    const memo = parsed.get(`${namespace}/${name}`);
    if (memo?.text === cached.text) return memo.uid;
    const uid = uidOf(JSON.parse(cached.text) as KubeObject);
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(`${namespace}/${name}`, { text: cached.text, uid });
    return uid;
  };
}

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "";
}
