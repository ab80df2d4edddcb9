import { z } from "zod";
import { telemetryConfigShape } from "../telemetry/telemetry-config.js";
import { envBoolean, envDuration, envEnum, envInt, envList, envPort, envUrl } from "./env-types.js";

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
  /**
   * Host names (and Origins) the service answers, against DNS rebinding: unset, localhost and *.localhost (IP
   * literals always pass); a list replaces that (compose and the chart list the service's names); `*` turns it off.
   */
  ALLOWED_HOSTS: envList().optional(),
  LOG_LEVEL: envEnum(logLevels).default("info"),
  ARK_HOME: z.string().min(1).default(".ark"),
  SHUTDOWN_TIMEOUT_MS: envDuration().default(10_000),
  BODY_LIMIT_BYTES: envInt({ min: 1 }).default(1_048_576),
  /** Prometheus metrics on /metrics (docs/architecture.md §9.2); false: no /metrics and nothing recorded. */
  ARK_METRICS: envBoolean().default(true),
  ...telemetryConfigShape,
});

export type CommonServiceConfig = z.output<typeof commonServiceConfig>;

/**
 * Where a service finds the query bus: `commonServiceConfig.extend(busConfigShape)`. NATS_URL unset means the
 * in-process bus (the dev stack passes its own). The prefixes let separate stacks share one NATS server.
 */
export const busConfigShape = {
  NATS_URL: envUrl({ protocols: ["nats:", "tls:", "ws:", "wss:"] }).optional(),
  /** JetStream stream and durable names start with it. */
  NATS_STREAM_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only")
    .default("ARK"),
  /** Bus subjects start with it. */
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "dot-separated tokens of letters, digits, _ and -")
    .default("ark"),
};

export interface BusConfig {
  NATS_URL?: string | undefined;
  NATS_STREAM_PREFIX: string;
  NATS_SUBJECT_PREFIX: string;
}

/** The bus settings of a config, as `openQueryBus` (@ark/bus) takes them. */
export function busOptions(config: BusConfig): { natsUrl: string | undefined; streamPrefix: string; subjectPrefix: string } {
  return { natsUrl: config.NATS_URL, streamPrefix: config.NATS_STREAM_PREFIX, subjectPrefix: config.NATS_SUBJECT_PREFIX };
}
