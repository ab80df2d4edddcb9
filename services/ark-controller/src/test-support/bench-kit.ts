// What e2e/bench needs from the workspace, re-exported so a script outside any package resolves it through here.
export { start as startController, controllerConfig } from "../server.js";
export { apiServerConfig, start as startApiServer } from "@ark/ark-apiserver";
export { MemoryQueryBus } from "@ark/bus";
export { createModelProvider } from "@ark/engine";
export { createArkClient, createCoreClient, createInformerCache, listRaw, loadKubeConfig, unixSocketKubeConfig } from "@ark/kube";
export type { CoreV1Event } from "@kubernetes/client-node";
export { loadConfig } from "@ark/service-kit";
export { createTestDatabase, startMockModel } from "@ark/testing";
export { isFinishedQueryPhase, queryKind, type QueryEvent } from "@ark/types";
export type { KubeConfig } from "@kubernetes/client-node";
export { streamNames } from "@ark/bus";
export { jetstreamManager } from "@nats-io/jetstream";
export { connectJetStreamBus } from "@ark/bus";
