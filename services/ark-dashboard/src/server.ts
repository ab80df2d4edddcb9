import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyHttpProxy from "@fastify/http-proxy";
import fastifyStatic from "@fastify/static";
import { ArkError, createService, listen, loadConfig, type Service, type ServiceApp } from "@ark/service-kit";
import type { FastifyBaseLogger } from "fastify";
import { appConfig, dashboardConfig, type DashboardConfig } from "./config.js";

export { dashboardConfig, type DashboardConfig } from "./config.js";

/** Where `pnpm build` (vite) puts the app: the same path from src/ (tests, ark dev) and from dist/ (images). */
const BUILT_APP_DIR = fileURLToPath(new URL("../dist/web/", import.meta.url));

/** The app only talks to its own origin (and the OIDC issuer, for discovery and tokens); inline styles are React's style attributes. */
function securityHeaders(config: DashboardConfig): Record<string, string> {
  const connect = ["'self'", ...(config.OIDC_ISSUER ? [new URL(config.OIDC_ISSUER).origin] : [])].join(" ");
  return {
    "content-security-policy": `default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${connect}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
}

// Sent by the browser to this origin, not ark-api's business: the key travels in Authorization, set by the app.
const NOT_FORWARDED = ["cookie", "origin", "referer", "upgrade", "keep-alive", "proxy-connection", "expect"];

export interface DashboardOptions {
  logger?: FastifyBaseLogger;
  /** Build the app with vite first when it is not built yet (ark dev and tests run from a fresh clone). */
  buildIfMissing?: boolean;
}

export interface RunningDashboard {
  url: string;
  service: Service<DashboardConfig>;
  stop(): Promise<void>;
}

/** Starts the dashboard in this process (the dev stack's entry point). */
export async function start(config: DashboardConfig = loadConfig(dashboardConfig), options: DashboardOptions = {}): Promise<RunningDashboard> {
  const staticDir = config.DASHBOARD_STATIC_DIR ?? BUILT_APP_DIR;
  if (options.buildIfMissing && !existsSync(join(staticDir, "index.html"))) {
    const { buildApp } = await import("./build-app.js");
    await buildApp(staticDir);
  }
  const service = createDashboard(config, options);
  const { url, stop } = await listen(service);
  return { url, service, stop };
}

export function createDashboard(config: DashboardConfig, options: Pick<DashboardOptions, "logger"> = {}): Service<DashboardConfig> {
  const staticDir = config.DASHBOARD_STATIC_DIR ?? BUILT_APP_DIR;
  const service = createService({
    name: "ark-dashboard",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    register: (app) => registerDashboard(app, config, staticDir),
  });
  service.addReadinessCheck("ark-api", async () => {
    const response = await fetch(new URL("/health", config.ARK_API_URL), { signal: AbortSignal.timeout(1_500) });
    if (!response.ok) throw new Error(`ark-api /health answered ${response.status}`);
  });
  return service;
}

async function registerDashboard(app: ServiceApp, config: DashboardConfig, staticDir: string): Promise<void> {
  const indexHtml = join(staticDir, "index.html");
  if (!existsSync(indexHtml)) {
    throw new Error(`the dashboard app is not built: ${indexHtml} is missing (run \`pnpm --filter @ark/ark-dashboard build\`, or set DASHBOARD_STATIC_DIR)`);
  }
  const headers = securityHeaders(config);
  app.addHook("onSend", async (_request, reply) => {
    for (const [name, value] of Object.entries(headers)) if (!reply.hasHeader(name)) reply.header(name, value);
  });

  await app.register(fastifyHttpProxy, {
    upstream: config.ARK_API_URL,
    prefix: "/api",
    rewritePrefix: "",
    // Query event streams stay open as long as the query runs.
    undici: { headersTimeout: 0, bodyTimeout: 0 },
    replyOptions: {
      rewriteRequestHeaders: (request, headers) => {
        const kept: Record<string, unknown> = { ...headers, "x-forwarded-for": [request.headers["x-forwarded-for"], request.ip].filter(Boolean).join(", ") };
        for (const name of NOT_FORWARDED) delete kept[name];
        return kept as typeof headers;
      },
      onError: (reply, { error }) => {
        const cause = (error.cause as Error | undefined)?.message ?? error.message;
        reply.send(new ArkError("BAD_GATEWAY", `ark-api at ${config.ARK_API_URL} did not answer: ${cause}`, { cause: error }));
      },
      retryDelay: () => null,
    },
  });

  // Read by the app before it starts: how to sign in.
  const clientConfig = appConfig(config);
  app.get("/config.json", (_request, reply) => reply.header("cache-control", "no-cache").send(clientConfig));

  await app.register(fastifyStatic, { root: staticDir, wildcard: false, index: false, cacheControl: false });
  // index.html for every page of the app (client-side routes); hashed assets may be cached for good.
  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/assets/")) reply.header("cache-control", "public, max-age=31536000, immutable");
  });
  // The files are routes of their own (static routes win over this wildcard); a missing asset stays a 404.
  app.get("/*", (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (path.startsWith("/assets/")) throw new ArkError("NOT_FOUND", `${path} is not a file of the dashboard`);
    return reply.header("cache-control", "no-cache").sendFile("index.html");
  });
}
