import type { QueryBus } from "@ark/bus";
import type { MockModel } from "@ark/testing";
import { startArkStack, type ArkStack, type RunningApiServer } from "@ark/test-stack";
import type { QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import { arkResources, type ArkResources } from "../resources.js";

export interface ApiStack {
  /** The stack's query bus (in-process); useControllerSuite's controller runs on it. */
  bus: QueryBus<QueryEvent>;
  api: RunningApiServer;
  kubeconfigPath: string;
  kc: KubeConfig;
  mock: MockModel;
  resources: ArkResources;
  close(): Promise<void>;
}

/** ark-apiserver on its own database, an in-process bus and the mock model (@ark/test-stack): what every integration test of this service runs on. */
export async function startApiStack(): Promise<ApiStack> {
  return apiStackOf(await startArkStack({ label: "ark-controller" }));
}

/** This service's view of a started stack. */
export function apiStackOf(stack: ArkStack): ApiStack {
  return {
    bus: stack.bus,
    api: stack.apiServer,
    kubeconfigPath: stack.kubeconfigPath,
    kc: stack.kubeConfig,
    mock: stack.mock,
    resources: arkResources(stack.kubeConfig),
    close: () => stack.stop(),
  };
}
