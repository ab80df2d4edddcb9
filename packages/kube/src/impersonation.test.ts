import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Watch } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { createArkClient } from "./clients/ark-client.js";
import { createCoreClient } from "./clients/core-client.js";
import { withKeepAlive } from "./config.js";
import { impersonating, serviceAccountUser } from "./impersonation.js";
import { kubeConfigForUrl } from "./test-support/fake-api.js";

/** An API that records each request's headers and answers every GET with one object. */
async function recordingApi() {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" });
    if (req.url?.includes("watch=true")) {
      res.end(`${JSON.stringify({ type: "ADDED", object: { metadata: { name: "a", namespace: "ns" } } })}\n`);
      return;
    }
    res.end(JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns" }, data: { k: "dg==" } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const kc = withKeepAlive(kubeConfigForUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  return { kc, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("impersonating", () => {
  let api: Awaited<ReturnType<typeof recordingApi>> | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("names the service account as Kubernetes does", () => {
    expect(serviceAccountUser("team-a", "default")).toBe("system:serviceaccount:team-a:default");
  });

  it("sends Impersonate-User with the config's own token on typed, core and watch calls; the original config sends none", async () => {
    api = await recordingApi();
    const user = serviceAccountUser("team-a", "runner");
    const as = impersonating(api.kc, user);
    await createArkClient(as).models.get("team-a", "m");
    await createCoreClient(as).secrets.get("team-a", "s");
    await new Promise<void>((resolve, reject) => {
      void new Watch(as).watch(
        "/api/v1/namespaces/team-a/configmaps",
        {},
        () => resolve(),
        (err) => (err ? reject(err) : resolve()),
      );
    });
    await createArkClient(api.kc).models.get("team-a", "m");
    const [model, secret, watch, plain] = api.seen;
    for (const call of [model, secret, watch]) expect(call?.headers).toMatchObject({ "impersonate-user": user, authorization: "Bearer t" });
    expect(plain?.headers["impersonate-user"]).toBeUndefined();
    expect(plain?.headers.authorization).toBe("Bearer t");
  });
});
