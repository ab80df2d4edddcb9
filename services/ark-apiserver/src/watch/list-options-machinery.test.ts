import * as k8s from "@kubernetes/client-node";
import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { useApiServerSuite } from "../test-support/api-server.js";
import { rawRequest } from "../test-support/raw-request.js";
import { AGENTS, agent, type AgentObject, clientsFor, GROUP, statusOf, VERSION } from "../test-support/clients.js";

const PATH = `/apis/${GROUP}/${VERSION}/namespaces/default/agents`;

// The request shapes of client-go's reflector (watch-list) and of apimachinery's list-option validation.
describe.skipIf(!testPostgres())("list and watch options as kube-apiserver answers them", () => {
  const suite = useApiServerSuite("apiserver-list-options");
  const api = () => clientsFor(suite.server.kubeConfig());

  async function raw(query: string): Promise<{ status: number; body: any }> {
    const answer = await rawRequest(suite.server, "GET", `${PATH}?${query}`);
    return { status: answer.status, body: JSON.parse(answer.body) };
  }

  it("answers invalid list options with 422 ListOptions naming the field, as apimachinery's ValidateListOptions", async () => {
    const cases: Array<[string, string, string]> = [
      ["resourceVersionMatch=Exact", "resourceVersionMatch", "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"],
      ["resourceVersion=1&resourceVersionMatch=Newest", "resourceVersionMatch", 'Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""'],
      ["resourceVersion=0&resourceVersionMatch=Exact", "resourceVersionMatch", 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'],
      ["sendInitialEvents=true", "sendInitialEvents", "Forbidden: sendInitialEvents is forbidden for list"],
      ["watch=true&resourceVersionMatch=NotOlderThan&resourceVersion=1", "resourceVersionMatch", "Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"],
      ["watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan", "allowWatchBookmarks", "Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true"],
      ["watch=true&sendInitialEvents=true&allowWatchBookmarks=true", "resourceVersionMatch", "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"],
    ];
    for (const [query, field, message] of cases) {
      const { status, body } = await raw(query);
      expect(status, query).toBe(422);
      expect(body, query).toMatchObject({ kind: "Status", reason: "Invalid", details: { group: "meta.k8s.io", kind: "ListOptions", causes: [{ field, message }] } });
      expect(body.message, query).toBe(`ListOptions.meta.k8s.io "" is invalid: ${field}: ${message}`);
    }
  });

  it("serves a watch-list: the current objects, a bookmark marking the end of the initial events, then live changes", async () => {
    await api().custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("wl-1") });
    await api().custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("wl-2") });
    const events: Array<{ type: string; object: any }> = [];
    const controller = await new k8s.Watch(suite.server.kubeConfig()).watch(
      PATH,
      { sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true, resourceVersion: "" },
      (type, object) => events.push({ type, object }),
      () => undefined,
    );
    try {
      const end = await vi.waitFor(
        () => {
          const bookmark = events.find((e) => e.type === "BOOKMARK" && e.object.metadata.annotations?.["k8s.io/initial-events-end"] === "true");
          if (!bookmark) throw new Error(`no initial-events-end bookmark in ${JSON.stringify(events.map((e) => e.type))}`);
          return bookmark;
        },
        { timeout: 10_000 },
      );
      const initial = events.slice(0, events.indexOf(end));
      expect(initial.every((e) => e.type === "ADDED")).toBe(true);
      expect(initial.map((e) => e.object.metadata.name)).toEqual(expect.arrayContaining(["wl-1", "wl-2"]));
      expect(end.object).toMatchObject({ kind: "Agent", apiVersion: `${GROUP}/${VERSION}` });
      expect(Number(end.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Math.max(...initial.map((e) => Number(e.object.metadata.resourceVersion))));
      const created = (await api().custom.createNamespacedCustomObject({ ...AGENTS, namespace: "default", body: agent("wl-3") })) as AgentObject;
      const live = await vi.waitFor(
        () => {
          const added = events.find((e) => e.type === "ADDED" && e.object.metadata.name === "wl-3");
          if (!added) throw new Error(`no ADDED wl-3 in ${JSON.stringify(events.map((e) => `${e.type} ${e.object.metadata.name}`))}`);
          return added;
        },
        { timeout: 10_000 },
      );
      expect(events.indexOf(live)).toBeGreaterThan(events.indexOf(end));
      expect(live.object.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    } finally {
      controller.abort();
    }
  });

  it("answers a watch-list from a resourceVersion the server has not reached with a 504 ResourceVersionTooLarge error event", { timeout: 30_000 }, async () => {
    const listed = (await api().custom.listNamespacedCustomObject({ ...AGENTS, namespace: "default" })) as { metadata: { resourceVersion: string } };
    const events: Array<{ type: string; object: any }> = [];
    const controller = await new k8s.Watch(suite.server.kubeConfig()).watch(
      PATH,
      { sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true, resourceVersion: String(Number(listed.metadata.resourceVersion) + 1_000_000) },
      (type, object) => events.push({ type, object }),
      () => undefined,
    );
    try {
      const error = await vi.waitFor(
        () => {
          const found = events.find((e) => e.type === "ERROR");
          if (!found) throw new Error(`no ERROR event in ${JSON.stringify(events.map((e) => e.type))}`);
          return found;
        },
        { timeout: 15_000 },
      );
      expect(error.object).toMatchObject({ kind: "Status", code: 504, reason: "Timeout", details: { causes: [{ reason: "ResourceVersionTooLarge" }] } });
      expect(events.filter((e) => e.type === "ADDED")).toEqual([]);
    } finally {
      controller.abort();
    }
  });

  it("still answers a too new resourceVersion on a list with 504", async () => {
    const tooNew = await statusOf(api().custom.listNamespacedCustomObject({ ...AGENTS, namespace: "default", resourceVersion: "999999999" }));
    expect(tooNew.code).toBe(504);
  });
});
