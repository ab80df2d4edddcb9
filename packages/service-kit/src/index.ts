export { busConfigShape, busOptions, commonServiceConfig, logLevels, type BusConfig, type CommonServiceConfig, type LogLevel } from "./config/common.js";
export { envBoolean, envDuration, envEnum, envInt, envList, envPort, envUrl } from "./config/env-types.js";
export { ConfigError, loadConfig } from "./config/load-config.js";
export { ArkError, isArkError, type ArkErrorOptions, type FieldError } from "./errors/ark-error.js";
export { errorCodes, httpStatusOf, type ErrorCode } from "./errors/codes.js";
export { toErrorResponse, type ErrorBody } from "./errors/error-body.js";
export type { CheckResult, ReadinessCheck } from "./health/readiness.js";
export {
  createService,
  listen,
  type CreateServiceOptions,
  type Service,
  type ServiceApp,
  type ServiceConfig,
  type ShutdownHook,
} from "./http/create-service.js";
export { createHostCheck, createHostGuard, DEFAULT_ALLOWED_HOSTS, type HostGuard, type HostGuardOptions } from "./http/host-guard.js";
export { jsonDeeperThan, MAX_JSON_DEPTH } from "./http/json-depth.js";
export { runService, type RunServiceOptions } from "./shutdown/run-service.js";
export { initTelemetry, telemetryOptions, type Telemetry, type TelemetryOptions } from "./telemetry/init-telemetry.js";
export { traceLogFields } from "./telemetry/log-fields.js";
export { activeTraceId, contextFromTraceHeaders, recordSpanError, traceHeaders, withSpan } from "./telemetry/spans.js";
export { telemetryConfigShape, traceContentModes, type TelemetryConfig, type TraceContentMode } from "./telemetry/telemetry-config.js";
export { createLogger, type Log } from "./logging/create-logger.js";
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from "./postgres/embedded-postgres.js";
export { createPgPool, type PgPoolOptions } from "./postgres/pool.js";
export { resolveDatabase, type ResolvedDatabase } from "./postgres/resolve-database.js";
export { embeddedDataDir } from "./postgres/data-dir.js";
export { isDatabaseUnavailable } from "./postgres/unavailable.js";
export { runMigrations, type MigrationOptions } from "./postgres/migrate.js";
export { isProcessAlive } from "./process-alive.js";
export * from "./auth/index.js";
