import http from "node:http";
import https from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import type { InProcessApi } from "@ark/types";
import { connectInProcess } from "./clients/in-process.js";

export interface LoadKubeConfigOptions {
  /** A kubeconfig file; wins over KUBECONFIG and in-cluster config. */
  kubeconfigPath?: string;
}

/**
 * The API to talk to: the given file, else KUBECONFIG, else in-cluster, else ~/.kube/config (client-node's
 * loadFromDefault), with connections kept alive and shared (see withKeepAlive).
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) {
    throw new Error("no Kubernetes API configured: set KUBECONFIG, run in a cluster, or write ~/.kube/config");
  }
  return withKeepAlive(kc);
}

export interface KeepAliveOptions {
  /** Connections open at once for request/response calls; more calls wait for a free one. Watches have their own. Default 64. */
  maxSockets?: number;
  /** Connect to this Unix socket instead of the server URL's host and port (see unixSocketKubeConfig). */
  socketPath?: string;
}

export interface UnixSocketKubeConfigOptions {
  /** ark-apiserver's ARK_APISERVER_SOCKET. */
  socketPath: string;
  token: string;
  /** ark-apiserver's in-process API (`RunningApiServer.inProcess`) when the caller runs in its process: calls skip the socket too. */
  inProcess?: InProcessApi;
}

/**
 * A client of ark-apiserver over its Unix socket (plain HTTP, bearer token): what the dev stack's own services use
 * when they run in the apiserver's process or beside it, skipping TLS on every call and watch. Everything built
 * on a KubeConfig (client-node's APIs, Watch, rawRequest, informers) works through it unchanged.
 */
export function unixSocketKubeConfig(options: UnixSocketKubeConfigOptions): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node speaks plain http only to a cluster marked skipTLSVerify (there is no TLS to verify).
    clusters: [{ name: "ark-apiserver-socket", server: "http://ark-apiserver.localhost", skipTLSVerify: true }],
    users: [{ name: "ark-apiserver-socket", token: options.token }],
    contexts: [{ name: "ark-apiserver-socket", cluster: "ark-apiserver-socket", user: "ark-apiserver-socket" }],
    currentContext: "ark-apiserver-socket",
  });
  withKeepAlive(kc, { socketPath: options.socketPath });
  return options.inProcess ? connectInProcess(kc, options.inProcess) : kc;
}

type AgentFactory = (cluster: unknown, options: https.AgentOptions) => http.Agent;
type FetchInit = Awaited<ReturnType<KubeConfig["applyToFetchOptions"]>>;

const DEFAULT_MAX_SOCKETS = 64;
const shared = new WeakSet<KubeConfig>();

/**
 * Makes `kc`'s API calls reuse connections, and returns it. client-node 1.4 builds a new https.Agent for every
 * request, so each call pays a TCP and TLS handshake on both ends (measured: half the controller's throughput).
 * Request/response calls share one keep-alive agent bounded by maxSockets; watches (long-lived, one connection
 * each) get a separate unbounded keep-alive agent, so they never hold up calls or wait for them.
 * Idempotent; it relies on client-node's private createAgent (the only place the agent is chosen).
 */
export function withKeepAlive(kc: KubeConfig, options: KeepAliveOptions = {}): KubeConfig {
  if (shared.has(kc)) return kc;
  const target = kc as unknown as { createAgent?: AgentFactory; applyToFetchOptions: KubeConfig["applyToFetchOptions"] };
  const create = target.createAgent?.bind(kc);
  if (!create) return kc;
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  // node's Agent connects to options.socketPath when its own options carry one.
  const socket = options.socketPath ? { socketPath: options.socketPath } : {};
  let calls: http.Agent | undefined;
  let watches: http.Agent | undefined;
  let made: Parameters<AgentFactory> | undefined;
  target.createAgent = (cluster, agentOptions) => {
    made ??= [cluster, agentOptions];
    return (calls ??= create(cluster, { ...agentOptions, ...socket, keepAlive: true, maxSockets }));
  };
  // Watch (and client-node's log, metrics, health helpers) take their agent from applyToFetchOptions; the
  // TLS settings are the cluster's and user's, the same for every call, so the first call's options serve.
  // Called on `this`, not bound to kc: a config derived from kc (impersonating) applies its own user.
  const applyToFetchOptions = kc.applyToFetchOptions;
  target.applyToFetchOptions = async function (this: KubeConfig, opts): Promise<FetchInit> {
    const init = await applyToFetchOptions.call(this, opts);
    if (!made) return init;
    watches ??= create(made[0], { ...made[1], ...socket, keepAlive: true });
    return { ...init, agent: watches };
  };
  shared.add(kc);
  return kc;
}
