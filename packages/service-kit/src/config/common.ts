import { z } from "zod";
import { envDuration, envEnum, envInt, envPort, envUrl } from "./env-types.js";

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * What every service reads from the environment. A service extends it and sets its own port default:
 * `commonServiceConfig.extend({ PORT: envPort().default(8002), DATABASE_URL: envUrl().optional() })`.
 */
export const commonServiceConfig = z.object({
  PORT: envPort(),
  // Loopback by default: the embedded stack has no auth, so it must not listen on the LAN; images set HOST=0.0.0.0.
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: envEnum(logLevels).default("info"),
  ARK_HOME: z.string().min(1).default(".ark"),
  SHUTDOWN_TIMEOUT_MS: envDuration().default(10_000),
  BODY_LIMIT_BYTES: envInt({ min: 1 }).default(1_048_576),
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl({ protocols: ["http:", "https:"] }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

export type CommonServiceConfig = z.output<typeof commonServiceConfig>;
