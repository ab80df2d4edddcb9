import { join } from "node:path";
import { createHostGuard, createService, listen, loadConfig, type Service } from "@ark/service-kit";
import type { FastifyBaseLogger } from "fastify";
import { createModes } from "./confinement/create-modes.js";
import { Workspace } from "./confinement/workspace.js";
import { filesysConfig, type FilesysConfig } from "./config.js";
import { registerSse } from "./http/sse.js";
import { registerStreamableHttp } from "./http/streamable-http.js";
import { Workspaces } from "./mcp/workspaces.js";

export { filesysConfig, type FilesysConfig } from "./config.js";

export interface FilesysServer extends Service<FilesysConfig> {
  /** The real path every tool is confined to. */
  readonly rootReal: string;
}

export interface RunningFilesysServer {
  url: string;
  /** Streamable HTTP endpoint. */
  mcpUrl: string;
  /** Legacy SSE endpoint. */
  sseUrl: string;
  rootReal: string;
  server: FilesysServer;
  stop(): Promise<void>;
}

/** Builds the service (root created and pinned) without listening; runService calls start(). */
export async function createFilesysServer(config: FilesysConfig, options: { logger?: FastifyBaseLogger } = {}): Promise<FilesysServer> {
  const quota = {
    maxBytes: config.FILESYS_QUOTA_BYTES,
    maxFiles: config.FILESYS_QUOTA_FILES,
    scope: "the root",
    bytesSetting: "FILESYS_QUOTA_BYTES",
    filesSetting: "FILESYS_QUOTA_FILES",
  };
  const sessionQuota = {
    maxBytes: config.FILESYS_SESSION_QUOTA_BYTES,
    maxFiles: config.FILESYS_SESSION_QUOTA_FILES,
    scope: "this session's workspace",
    bytesSetting: "FILESYS_SESSION_QUOTA_BYTES",
    filesSetting: "FILESYS_SESSION_QUOTA_FILES",
  };
  const root = await Workspace.open(config.FILESYS_ROOT ?? join(config.ARK_HOME, "filesys"), { quota, modes: createModes(config.FILESYS_GROUP) });
  const guard = createHostGuard({ serviceName: "filesys-mcp", allowedHosts: config.FILESYS_ALLOWED_HOSTS, allowedOrigins: config.FILESYS_ALLOWED_ORIGINS });
  const workspaces = new Workspaces(root, config.FILESYS_SESSION_WORKSPACES, sessionQuota);
  const limits = { maxReadBytes: config.FILESYS_MAX_READ_BYTES, maxWriteBytes: config.FILESYS_MAX_WRITE_BYTES };
  const service = createService({
    name: "filesys-mcp",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    register: (app) => {
      const ctx = { workspaces, limits, log: app.log };
      registerStreamableHttp(app, ctx, guard, config.FILESYS_SESSION_IDLE_TIMEOUT);
      registerSse(app, ctx, guard);
    },
  });
  const usage = { bytes: root.usage.bytes, files: root.usage.files, quotaBytes: quota.maxBytes, quotaFiles: quota.maxFiles };
  service.log.info({ root: root.rootReal, sessionWorkspaces: workspaces.perSession, usage }, `serving files under ${root.rootReal}`);
  if (usage.bytes > quota.maxBytes || usage.files > quota.maxFiles) {
    service.log.warn(usage, "the root already holds more than its quota (FILESYS_QUOTA_BYTES / FILESYS_QUOTA_FILES): writes that grow it are refused");
  }
  return Object.assign(service, { rootReal: root.rootReal });
}

/** Starts filesys-mcp in this process (the dev stack's entry point); `config` as from the environment. */
export async function start(config: FilesysConfig = loadConfig(filesysConfig), options: { logger?: FastifyBaseLogger } = {}): Promise<RunningFilesysServer> {
  const server = await createFilesysServer(config, options);
  const { url, stop } = await listen(server);
  return { url, mcpUrl: `${url}/mcp`, sseUrl: `${url}/sse`, rootReal: server.rootReal, server, stop };
}
