// The bench client's process (client.ts starts it): runs what the parent sends and answers with the result.
import { serveParent } from "./child.js";
import type { ClientRequest } from "./client.js";
import { countQueryEvents, driveQueries } from "./drive.js";
import { loadKubeConfig } from "./kit.js";
import { restLanes } from "./rest.js";
import { slowBatch } from "./slow-model.js";

/** One KubeConfig (and so one connection pool) per kubeconfig file, across calls. */
const configs = new Map<string, ReturnType<typeof loadKubeConfig>>();
const kubeConfig = (path: string) => configs.get(path) ?? configs.set(path, loadKubeConfig({ kubeconfigPath: path })).get(path)!;

serveParent<ClientRequest>(async (request) => {
  if (request.op === "drive") return driveQueries(kubeConfig(request.kubeconfigPath), request.namespace, request.options);
  if (request.op === "slowBatch") return slowBatch(kubeConfig(request.kubeconfigPath), request.namespace, { count: request.count, prefix: request.prefix });
  if (request.op === "countEvents") return countQueryEvents(kubeConfig(request.kubeconfigPath), request.namespace, request.prefix, request.expected);
  return restLanes(request.apiUrl, request.namespace, request);
});
