import type { Command } from "commander";

/** Where the CLI talks to: flags win over ARK_SERVER / ARK_NAMESPACE / ARK_API_KEY, then the local stack's defaults. */
export interface ClientSettings {
  server: string;
  namespace: string;
  apiKey?: string;
}

export interface GlobalFlags {
  server?: string;
  namespace?: string;
  apiKey?: string;
}

export const DEFAULT_SERVER = "http://127.0.0.1:8000";
export const DEFAULT_NAMESPACE = "default";

export function resolveSettings(flags: GlobalFlags, env: Record<string, string | undefined> = process.env): ClientSettings {
  const server = (flags.server || env.ARK_SERVER || DEFAULT_SERVER).replace(/\/+$/, "");
  const namespace = flags.namespace || env.ARK_NAMESPACE || DEFAULT_NAMESPACE;
  const apiKey = flags.apiKey || env.ARK_API_KEY || undefined;
  return { server, namespace, ...(apiKey ? { apiKey } : {}) };
}

/** The settings for a command, from its (and the program's) flags and the environment. */
export function settingsOf(command: Command): ClientSettings {
  return resolveSettings(command.optsWithGlobals<GlobalFlags>());
}
