import { KubeConfig } from "@kubernetes/client-node";
import { loadConfig } from "@ark/service-kit";
import { apiServerConfig } from "../config.js";
import { start, type ApiServerOptions, type RunningApiServer } from "../server.js";

export interface TestApiServer extends RunningApiServer {
  /** A client-node KubeConfig loaded from the kubeconfig the server wrote (TLS verified, bearer token). */
  kubeConfig(namespace?: string): KubeConfig;
  close(): Promise<void>;
}

/** ark-apiserver on a free port over HTTPS, on the given database, with its state under `arkHome`. */
export async function startApiServerForTest(options: {
  databaseUrl: string;
  arkHome: string;
  env?: Record<string, string>;
  serverOptions?: ApiServerOptions;
}): Promise<TestApiServer> {
  const config = loadConfig(apiServerConfig, {
    PORT: "0",
    LOG_LEVEL: process.env.ARK_TEST_LOG_LEVEL ?? "warn",
    ARK_HOME: options.arkHome,
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: "5",
    ...options.env,
  });
  const running = await start(config, options.serverOptions);
  return {
    ...running,
    kubeConfig(namespace = "default") {
      const kc = new KubeConfig();
      kc.loadFromFile(running.kubeconfigPath);
      const context = kc.getCurrentContext();
      kc.contexts = kc.contexts.map((c) => (c.name === context ? { ...c, namespace } : c));
      return kc;
    },
    close: () => running.stop(),
  };
}
