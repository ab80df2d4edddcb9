import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { ArkError, type ServiceApp } from "@ark/service-kit";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
import type { ArkApiConfig } from "../config.js";

/** CORS_ORIGINS: listed origins with credentials; `*` answers `*` without credentials (never an origin reflected); empty: none. */
export async function registerCors(app: ServiceApp, config: ArkApiConfig): Promise<void> {
  const origins = config.CORS_ORIGINS;
  if (origins.length === 0) return;
  await app.register(cors, origins.includes("*") ? { origin: "*", credentials: false } : { origin: origins, credentials: true });
}

/** OpenAPI 3 from the routes' zod schemas at /openapi.json, Swagger UI at /docs. */
export async function registerDocs(app: ServiceApp): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: "ARK API", description: "ARK resources, query events and an OpenAI-compatible endpoint", version: "v1" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An ARK API key or an OIDC token" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  // Behind the dashboard's /api proxy (X-Forwarded-Prefix), the document names the prefixed server, as upstream's does.
  app.get("/openapi.json", { schema: { hide: true } }, async (request) => {
    const prefix = request.headers["x-forwarded-prefix"];
    const document = app.swagger();
    return typeof prefix === "string" && /^\/[\w\-./]*$/.test(prefix) ? { ...document, servers: [{ url: prefix.replace(/\/$/, "") }] } : document;
  });
}

/**
 * RATE_LIMIT_PER_MINUTE per principal (after authentication), per address for unauthenticated calls. The admin
 * key and auth `none` are the operator (a local `ark dev` user): not limited. Failed authentication has its own
 * per-address limit, checked before credentials (AUTH_FAILURES_PER_MINUTE).
 */
export async function registerRateLimit(app: ServiceApp, config: ArkApiConfig): Promise<void> {
  if (config.RATE_LIMIT_PER_MINUTE === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    hook: "preHandler",
    keyGenerator: (request) => request.principal?.id ?? request.ip,
    allowList: (request) => request.principal?.via === "admin-key" || request.principal?.via === "auth-off",
    errorResponseBuilder: (_request, context) => new ArkError("RATE_LIMITED", `rate limit exceeded, retry in ${context.after}`),
  });
}
