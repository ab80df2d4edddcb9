export {
  loadKubeConfig,
  unixSocketKubeConfig,
  withKeepAlive,
  type KeepAliveOptions,
  type LoadKubeConfigOptions,
  type UnixSocketKubeConfigOptions,
} from "./config.js";
export { impersonating, serviceAccountUser } from "./impersonation.js";
export { apiStatusCode, apiErrorMessage, isConflict, isGone, isInvalid, isNotFound } from "./errors.js";
export * from "./resource.js";
export * from "./clients/ark-object.js";
export { createKindClient, type KindClient, type ListOptions, type DeleteOptions } from "./clients/kind-client.js";
export * from "./clients/ark-client.js";
export { decideToolApproval, type ToolApprovalDecisionInput, type ToolApprovalDecisionResult } from "./tool-approvals.js";
export { createCoreClient, type CoreClient, type CoreKindClient } from "./clients/core-client.js";
export { consoleLogger, type KubeLogger } from "./logger.js";
export { setCondition, getCondition, isTrue, removeCondition, kubeTime, type ConditionUpdate } from "./conditions.js";
export { patchStatus, diffMergePatch } from "./status.js";
export { listRaw } from "./informer/raw-list.js";
export { createInformerCache, type InformerCache, type InformerCacheOptions, type InformerEvent } from "./informer/informer-cache.js";
export { readThrough, type ReadThroughGet } from "./informer/read-through.js";
export { writtenObjects, type WrittenObjects } from "./informer/written-objects.js";
export { createWorkQueue, type WorkQueue, type WorkQueueOptions, type ProcessKey, type ProcessResult } from "./workqueue/work-queue.js";
export { createController, type Controller, type ControllerOptions, type ReconcileResult } from "./controller/controller.js";
export { resolveValueSource, resolveServiceRef, resolveSecretKey, type ResolveOptions } from "./value-source/resolve-value-source.js";
export { resolveHeaders } from "./value-source/resolve-headers.js";
export { apiValueSourceReader, cachedValueSourceReader, type ValueSourceReader } from "./value-source/reader.js";
export {
  SERVICE_URL_ANNOTATION,
  defaultServiceUrl,
  clusterDnsServiceUrl,
  joinedPath,
  type ServiceUrlResolver,
} from "./value-source/service-url.js";
export { ValueSourceError, isValueSourceError } from "./value-source/value-source-error.js";
export { createLeaderElector, type LeaderElector, type LeaderElectionOptions } from "./leader-election.js";
export { createEventRecorder, type EventRecorder, type EventRecorderOptions, type EventDetails, type InvolvedObject } from "./events.js";
