import type { QueryBus } from "@ark/bus";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

/** What every service entry gets: the shared environment, logger and bus, and the API once ark-apiserver is up. */
export interface StackContext {
  /** The environment the services' configs are read from (PORT and HOST are set per service). */
  env: Record<string, string | undefined>;
  /** The address every service listens on: 127.0.0.1 unless ARK_DEV_HOST says otherwise (bind-host.ts). */
  host: string;
  arkHome: string;
  logger: Logger;
  bus: QueryBus<QueryEvent>;
  port(service: string): number;
  kubeconfigPath?: string;
  /** How the stack's own services reach ark-apiserver: its Unix socket when it has one, else the kubeconfig. */
  kubeConfig?: KubeConfig;
  /** A service's own least-privilege way to ark-apiserver (its ServiceAccount's token; service-identities.ts). */
  serviceKubeConfig?(service: string): Promise<KubeConfig>;
  /** The CA that signed ark-apiserver's certificate (for probing its HTTPS /ready). */
  apiCaPem?: string;
  /** Base URLs (origins) of the services already started, by name: later entries find earlier ones here. */
  urls: Map<string, string>;
}

export interface RunningEntry {
  url: string;
  /** Polled by `ark status`; absent when the service has no /ready. */
  readyUrl?: string;
  /** Shown in the summary (e.g. the mock model, the files root). */
  note?: string;
  stop(): Promise<void>;
}

export interface ServiceEntry {
  name: string;
  /** The stack cannot work without it: a failure stops the start. Others are reported and skipped. */
  required?: boolean;
  /** Why it is not started this time (e.g. a provider is configured, so no mock model); undefined: start it. */
  skip?(ctx: StackContext): string | undefined;
  start(ctx: StackContext): Promise<RunningEntry>;
}

/** The service's environment: the stack's, with its own PORT and the stack's HOST. */
export function serviceEnv(ctx: StackContext, name: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...ctx.env, HOST: ctx.host, PORT: String(ctx.port(name)), ARK_HOME: ctx.arkHome, ...extra };
}

function requireKube(ctx: StackContext): { kubeconfigPath: string; kubeConfig: KubeConfig } {
  if (!ctx.kubeconfigPath || !ctx.kubeConfig) throw new Error("ark-apiserver has not started: no kubeconfig yet");
  return { kubeconfigPath: ctx.kubeconfigPath, kubeConfig: ctx.kubeConfig };
}

/** The service's kubeconfig path (for its config check) and its own identity's KubeConfig (what it calls the API with). */
export async function requireServiceKube(ctx: StackContext, service: string): Promise<{ kubeconfigPath: string; kubeConfig: KubeConfig }> {
  const { kubeconfigPath } = requireKube(ctx);
  if (!ctx.serviceKubeConfig) throw new Error("ark-apiserver has not started: no service identities yet");
  return { kubeconfigPath, kubeConfig: await ctx.serviceKubeConfig(service) };
}
