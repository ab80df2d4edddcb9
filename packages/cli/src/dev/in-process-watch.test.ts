// `ark dev` connects its services to ark-apiserver in process: their watches (informers, ark-api's Query watch) take
// `watchFor` from @ark/kube, which streams from the apiserver's in-process `watch` (docs/architecture.md §2.2).
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { ensureServiceIdentity } from "@ark/ark-apiserver";
import { CONFIG_MAPS, createInformerCache, unixSocketKubeConfig, watchFor } from "@ark/kube";
import { useArkStack } from "@ark/test-stack";
import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";

const CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

interface Seen {
  type: string;
  name: string | undefined;
  data?: Record<string, string>;
}

describe.skipIf(!testPostgres())("watches in process (ark dev)", () => {
  const suite = useArkStack({ label: "cli-in-process-watch" });
  const stack = () => suite.stack;
  // A socket that does not exist: whatever works here went through the in-process API.
  const kubeConfig = (token = stack().apiServer.token): KubeConfig => unixSocketKubeConfig({ socketPath: join(tmpdir(), `ark-no-socket-${process.pid}.sock`), token, inProcess: stack().apiServer.inProcess });
  const call = (method: string, path: string, body?: unknown) =>
    stack().apiServer.inProcess({
      method,
      path,
      headers: { Authorization: `Bearer ${stack().apiServer.token}`, "Content-Type": method === "PATCH" ? "application/merge-patch+json" : "application/json" },
      ...(body !== undefined ? { body: Buffer.from(JSON.stringify(body)) } : {}),
    });
  const registeredWatchers = async () => {
    const text = await stack().apiServer.server.metrics.getSingleMetricAsString("apiserver_registered_watchers");
    return Number(/apiserver_registered_watchers\{group="",resource="configmaps"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  it("delivers what an HTTP watch delivers: changes after the resourceVersion, in order, then ends at the server's timeout", async () => {
    const listed = JSON.parse((await call("GET", CONFIGMAPS)).text) as { metadata: { resourceVersion: string } };
    const seen: Seen[] = [];
    let ended: unknown = "not yet";
    await watchFor(kubeConfig()).watch(
      CONFIGMAPS,
      { resourceVersion: listed.metadata.resourceVersion, timeoutSeconds: 2 },
      (type, object: { metadata?: { name?: string }; data?: Record<string, string> }) => seen.push({ type, name: object.metadata?.name, ...(object.data ? { data: object.data } : {}) }),
      (err) => (ended = err),
    );
    expect((await call("POST", CONFIGMAPS, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "watched" }, data: { step: "1" } })).status).toBe(201);
    expect((await call("PATCH", `${CONFIGMAPS}/watched`, { data: { step: '2 ✓ \u2028 "quoted"' } })).status).toBe(200);
    expect((await call("DELETE", `${CONFIGMAPS}/watched`)).status).toBe(200);
    await expect.poll(() => seen.length).toBe(3);
    expect(seen).toEqual([
      { type: "ADDED", name: "watched", data: { step: "1" } },
      { type: "MODIFIED", name: "watched", data: { step: '2 ✓ \u2028 "quoted"' } },
      { type: "DELETED", name: "watched", data: { step: '2 ✓ \u2028 "quoted"' } },
    ]);
    await expect.poll(() => ended, { timeout: 10_000 }).toBeNull();
  });

  it("refuses what an HTTP watch refuses, with its status code: a bad token, a caller RBAC does not let watch, a bad resourceVersion", async () => {
    const failure = async (kc: KubeConfig, params: Record<string, string> = {}) => {
      let ended: unknown;
      await watchFor(kc).watch(
        CONFIGMAPS,
        params,
        () => undefined,
        (err) => (ended = err),
      );
      await expect.poll(() => ended).toBeInstanceOf(Error);
      return (ended as { statusCode?: number }).statusCode;
    };
    expect(await failure(kubeConfig("not-a-token"))).toBe(401);
    const api = stack().apiServer;
    const reader = await ensureServiceIdentity(api, { namespace: "ark-system", name: "in-process-lister", clusterRules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["list"] }] });
    expect(await failure(kubeConfig(reader.token))).toBe(403);
    expect(await failure(kubeConfig(), { resourceVersion: "abc" })).toBe(400);
  });

  it("frees the watch on the server when the caller aborts, and tells the caller it was aborted", async () => {
    const before = await registeredWatchers();
    let ended: unknown;
    const controller = await watchFor(kubeConfig()).watch(
      CONFIGMAPS,
      {},
      () => undefined,
      (err) => (ended = err),
    );
    await expect.poll(registeredWatchers).toBe(before + 1);
    controller.abort();
    await expect.poll(registeredWatchers).toBe(before);
    await expect.poll(() => (ended as Error | undefined)?.name).toBe("AbortError");
  });

  it("keeps an informer's cache as over the socket", async () => {
    const informer = createInformerCache<{ metadata: { name: string }; data?: Record<string, string> }>(kubeConfig(), CONFIG_MAPS, { namespace: "default" });
    try {
      await informer.start();
      await call("POST", CONFIGMAPS, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cached" }, data: { a: "1" } });
      await expect.poll(() => informer.get("default", "cached")?.data).toEqual({ a: "1" });
      await call("DELETE", `${CONFIGMAPS}/cached`);
      await expect.poll(() => informer.get("default", "cached")).toBeUndefined();
    } finally {
      await informer.stop();
    }
  });
});
