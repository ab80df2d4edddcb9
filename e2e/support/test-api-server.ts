import { loadKubeConfig } from "@ark/kube";
import { startArkStack } from "@ark/test-stack";
import type { InProcessApi } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";

export interface TestApiServer {
  kc: KubeConfig;
  /** ARK_APISERVER_SOCKET and the token, when started with `{ socket: true }`. */
  socket?: { path: string; token: string };
  /** ark-apiserver's in-process API (this test runs in its process). */
  inProcess: InProcessApi;
  stop(): Promise<void>;
}

/** A real ark-apiserver in this process (HTTPS, bearer token) on a fresh database, reached through the kubeconfig it writes. */
export async function startTestApiServer(label: string, options: { socket?: boolean } = {}): Promise<TestApiServer> {
  const stack = await startArkStack({ label, socket: options.socket ?? false, apiServerEnv: { WATCH_BOOKMARK_INTERVAL: "1s" } });
  const running = stack.apiServer;
  return {
    kc: loadKubeConfig({ kubeconfigPath: running.kubeconfigPath }),
    ...(running.socketPath ? { socket: { path: running.socketPath, token: running.token } } : {}),
    inProcess: running.inProcess,
    stop: () => stack.stop(),
  };
}

export const quietLog = { info() {}, warn() {}, error() {} };
