export { startMockModel } from "./mock-model/server.js";
export type * from "./mock-model/types.js";
export { startRecordingServer, type RecordedHttpRequest, type RecordingResponder, type RecordingServer } from "./http/recording-server.js";

export { getTestPostgres, type PostgresSource, type TestPostgres } from "./services/postgres.js";
export { createTestDatabase, dropDatabase, listTestDatabases, type CreateTestDatabaseOptions, type TestDatabase } from "./services/database.js";
export { getTestNats, findTestNats, checkJetStream, natsTestNames, type NatsSource, type NatsTestNames, type TestNats, type TestNatsResult } from "./services/nats.js";
export { startTestServices, describeServices, type StartedTestServices, type TestServicesContext } from "./services/test-services.js";
export { servicesRequired } from "./services/require-services.js";
export { modelAgentQuery, type ModelAgentQueryOptions } from "./stack/manifests.js";
export { getFromArkApi, type ArkApiTarget, type QueryDetail } from "./stack/ark-api.js";
export {
  deepJsonText,
  describeOutcome,
  fieldPaths,
  fuzzFailures,
  fuzzKinds,
  fuzzRequests,
  fuzzSeed,
  heapUsedAfterGc,
  hugeJsonText,
  invalidUtf8Json,
  oddKeys,
  oddStrings,
  randomFuzzRequests,
  randomJson,
  seededRandom,
  sendFuzzRequests,
  withField,
  wrongTypesFor,
  wrongTypeVariants,
  type FuzzKind,
  type FuzzOutcome,
  type FuzzRandom,
  type FuzzRequest,
  type FuzzSample,
  type FuzzSurface,
  type FuzzTarget,
  type SendOptions,
} from "./fuzz/index.js";
export { recordingLogger, type RecordedLogLine, type RecordingLog } from "./logging/recording-logger.js";
