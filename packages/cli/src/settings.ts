import { resolve } from "node:path";
import type { Command } from "commander";
import { devApiKeyFor } from "./dev/admin-key.js";

/**
 * Where the CLI talks to: flags win over ARK_SERVER / ARK_NAMESPACE / ARK_API_KEY, then the local stack's defaults
 * (its ark-api, and the key `ark dev` keeps in $ARK_HOME/api-key).
 */
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

const DEFAULT_SERVER = "http://127.0.0.1:8000";
const DEFAULT_NAMESPACE = "default";

export function resolveSettings(
  flags: GlobalFlags,
  env: Record<string, string | undefined> = process.env,
  devKeyFor: (server: string) => string | undefined = (server) => devApiKeyFor(server, resolve(env.ARK_HOME ?? ".ark")),
): ClientSettings {
  const server = (flags.server || env.ARK_SERVER || DEFAULT_SERVER).replace(/\/+$/, "");
  const namespace = flags.namespace || env.ARK_NAMESPACE || DEFAULT_NAMESPACE;
  const apiKey = flags.apiKey || env.ARK_API_KEY || devKeyFor(server);
  return { server, namespace, ...(apiKey ? { apiKey } : {}) };
}

/** The settings for a command, from its (and the program's) flags and the environment. */
export function settingsOf(command: Command): ClientSettings {
  return resolveSettings(command.optsWithGlobals<GlobalFlags>());
}
