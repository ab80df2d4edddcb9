import { readFileSync } from "node:fs";
import type { ServiceApp } from "@ark/service-kit";
import { VersionApi } from "@kubernetes/client-node";
import type { ApiContext } from "../context.js";

const packageVersion = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

export function registerSystemRoutes(app: ServiceApp, ctx: ApiContext): void {
  const versionApi = ctx.kubeConfig.makeApiClient(VersionApi);
  app.get("/v1/system-info", { schema: { tags: ["system"], summary: "Versions of ark-api and the Kubernetes API it uses" } }, async (request) => {
    let kubernetesVersion = "unknown";
    try {
      kubernetesVersion = (await versionApi.getCode()).gitVersion;
    } catch (err) {
      request.log.debug({ err }, "Kubernetes version unavailable");
    }
    return { kubernetes_version: kubernetesVersion, system_version: `v${packageVersion}` };
  });
}
