import type { FuzzSample, FuzzSurface } from "@ark/testing";
import { arkKinds } from "@ark/types";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// What each service serves, for the shared fuzz generator in @ark/testing: paths, parameters, headers and valid
// requests whose every field gets a wrong type. `{ns}` and `{name}` are filled with good and odd values.

const NAMESPACES = ["default", "fuzz"];
/** Kept out of every surface: the checks after the fuzz use it. */
export const CHECK_NAMESPACE = "after-fuzz";

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

/** One manifest per kind using every field (packages/types' fixture), without status and namespace. */
const manifests: Manifest[] = parseAllDocuments(readFileSync(new URL("../../packages/types/src/fixtures/full-manifests.yaml", import.meta.url), "utf8")).map((doc) => {
  const { status: _status, metadata, ...rest } = doc.toJS() as Manifest & { status?: unknown };
  return { ...rest, metadata: { name: metadata.name } };
});

const segmentOf: Record<string, string> = {
  Agent: "agents",
  Model: "models",
  Team: "teams",
  Query: "queries",
  Tool: "tools",
  MCPServer: "mcp-servers",
  A2AServer: "a2a-servers",
  Memory: "memories",
  Evaluator: "evaluators",
  Evaluation: "evaluations",
  ExecutionEngine: "execution-engines",
  A2ATask: "a2a-tasks",
};
const flatKinds = new Set(["Agent", "Model", "Team", "Query", "Memory"]);

export function arkApiSurface(): FuzzSurface {
  const segments = Object.values(segmentOf);
  const kindSamples: FuzzSample[] = manifests.map((m) => ({
    method: "POST",
    path: `/v1/namespaces/{ns}/${segmentOf[m.kind]}`,
    body: flatKinds.has(m.kind) ? { name: m.metadata.name, ...m.spec } : { name: m.metadata.name, labels: { a: "b" }, spec: m.spec },
  }));
  return {
    paths: [
      "/v1/namespaces",
      "/v1/system-info",
      "/v1/api-keys",
      "/v1/api-keys/{name}",
      "/openai/v1/models",
      "/openai/v1/models/{name}",
      "/openai/v1/models/agent/{name}",
      "/openai/v1/chat/completions",
      "/health",
      "/ready",
      "/metrics",
      "/docs/json",
      ...segments.flatMap((s) => [`/v1/namespaces/{ns}/${s}`, `/v1/namespaces/{ns}/${s}/{name}`]),
      "/v1/namespaces/{ns}/queries/{name}/cancel",
      "/v1/namespaces/{ns}/queries/{name}/events",
      "/v1/namespaces/{ns}/secrets",
      "/v1/namespaces/{ns}/secrets/{name}",
      "/v1/namespaces/{ns}/events",
      "/v1/namespaces/{ns}/events/{name}",
    ],
    methods: ["POST", "PUT", "PATCH", "DELETE"],
    params: ["limit", "page", "labelSelector", "phase", "wait", "namespace", "type", "stream", "after"],
    headers: ["x-api-key", "last-event-id", "access-control-request-method", "access-control-request-headers"],
    namespaces: NAMESPACES,
    samples: [
      ...kindSamples,
      { method: "PUT", path: "/v1/namespaces/{ns}/agents/{name}", body: { prompt: "p", description: "d", modelRef: { name: "m" } } },
      { method: "POST", path: "/v1/namespaces/{ns}/secrets", body: { name: "fuzz-secret", string_data: { token: "t" }, type: "Opaque" } },
      { method: "PUT", path: "/v1/namespaces/{ns}/secrets/{name}", body: { string_data: { token: "t" } } },
      { method: "POST", path: "/v1/namespaces", body: { name: "fuzz-ns" } },
      { method: "POST", path: "/v1/api-keys", body: { name: "fuzz key", namespaces: ["default"] } },
      // No Agent named so exists, so a well-formed completion is answered 404 at once instead of waiting for a worker.
      {
        method: "POST",
        path: "/openai/v1/chat/completions",
        body: {
          model: "agent/no-such-agent",
          messages: [
            { role: "system", content: "s" },
            { role: "user", content: [{ type: "text", text: "hi" }] },
          ],
          stream: false,
          temperature: 0.2,
          metadata: { queryAnnotations: "{}" },
        },
      },
    ],
  };
}

export function apiServerSurface(token: string): FuzzSurface {
  const kindPaths = arkKinds.flatMap((k) => [
    `/apis/${k.group}/${k.version}/${k.plural}`,
    `/apis/${k.group}/${k.version}/namespaces/{ns}/${k.plural}`,
    `/apis/${k.group}/${k.version}/namespaces/{ns}/${k.plural}/{name}`,
    `/apis/${k.group}/${k.version}/namespaces/{ns}/${k.plural}/{name}/status`,
  ]);
  const pathOf = (m: Manifest) => {
    const kind = arkKinds.find((k) => k.kind === m.kind)!;
    return `/apis/${kind.group}/${kind.version}/namespaces/{ns}/${kind.plural}`;
  };
  return {
    paths: [
      "/api",
      "/apis",
      "/api/v1",
      "/apis/ark.mckinsey.com",
      "/apis/ark.mckinsey.com/v1alpha1",
      "/apis/ark.mckinsey.com/v1prealpha1",
      "/version",
      "/openapi/v2",
      "/openapi/v3",
      "/openapi/v3/apis/ark.mckinsey.com/v1alpha1",
      "/openapi/v3/api/v1",
      "/healthz",
      "/livez",
      "/readyz",
      "/metrics",
      "/api/v1/namespaces",
      "/api/v1/namespaces/{ns}",
      "/api/v1/namespaces/{ns}/status",
      "/api/v1/secrets",
      ...["secrets", "configmaps", "events", "services"].flatMap((r) => [`/api/v1/namespaces/{ns}/${r}`, `/api/v1/namespaces/{ns}/${r}/{name}`]),
      "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}",
      "/apis/events.k8s.io/v1/namespaces/{ns}/events",
      ...kindPaths,
    ],
    methods: ["POST", "PUT", "PATCH", "DELETE"],
    params: [
      "watch",
      "resourceVersion",
      "resourceVersionMatch",
      "labelSelector",
      "fieldSelector",
      "limit",
      "continue",
      "timeoutSeconds",
      "allowWatchBookmarks",
      "sendInitialEvents",
      "dryRun",
      "fieldManager",
      "fieldValidation",
      "force",
      "propagationPolicy",
      "gracePeriodSeconds",
      "orphanDependents",
      "pretty",
      "includeObject",
    ],
    headers: ["impersonate-user", "impersonate-group", "impersonate-uid", "accept"],
    contentTypes: ["application/yaml", "application/vnd.kubernetes.protobuf", "application/merge-patch+json", "application/json-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"],
    namespaces: NAMESPACES,
    baseHeaders: { authorization: `Bearer ${token}` },
    samples: [
      ...manifests.map((m) => ({ method: "POST", path: pathOf(m), body: m })),
      {
        method: "POST",
        path: "/api/v1/namespaces/{ns}/secrets",
        body: { apiVersion: "v1", kind: "Secret", metadata: { name: "fuzz-secret", labels: { a: "b" } }, type: "Opaque", stringData: { k: "v" }, data: { d: "dmFsdWU=" } },
      },
      {
        method: "POST",
        path: "/api/v1/namespaces/{ns}/configmaps",
        body: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "fuzz-cm", annotations: { a: "b" }, finalizers: ["x/y"], ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "o", uid: "u" }] },
          data: { k: "v" },
        },
      },
      { method: "POST", path: "/api/v1/namespaces", body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "fuzz-ns" } } },
      // An unknown field: warned about in a Warning header (which takes Latin-1 only).
      { method: "POST", path: "/api/v1/namespaces/{ns}/configmaps", body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fuzz-unknown" }, data: { k: "v" }, 名前: "x" } },
      {
        method: "POST",
        path: "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases",
        body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "fuzz-lease" }, spec: { holderIdentity: "h", leaseDurationSeconds: 15, renewTime: "2025-01-01T00:00:00.000000Z" } },
      },
      {
        method: "PATCH",
        path: "/apis/ark.mckinsey.com/v1alpha1/namespaces/{ns}/agents/{name}",
        body: { metadata: { labels: { a: null } }, spec: { prompt: "p", tools: [{ type: "built-in", name: "noop" }] } },
        contentType: "application/merge-patch+json",
      },
      {
        method: "PATCH",
        path: "/apis/ark.mckinsey.com/v1alpha1/namespaces/{ns}/agents/{name}",
        body: [
          { op: "replace", path: "/spec/prompt", value: "p" },
          { op: "add", path: "/metadata/labels/x", value: "y" },
          { op: "test", path: "/spec", value: {} },
        ],
        contentType: "application/json-patch+json",
      },
      {
        method: "PATCH",
        path: "/api/v1/namespaces/{ns}/configmaps/{name}",
        body: { data: { k: "v" }, metadata: { $setElementOrder: { finalizers: ["a"] } }, $retainKeys: ["data"], $patch: "replace" },
        contentType: "application/strategic-merge-patch+json",
      },
      {
        method: "PUT",
        path: "/apis/ark.mckinsey.com/v1alpha1/namespaces/{ns}/queries/{name}/status",
        body: {
          apiVersion: "ark.mckinsey.com/v1alpha1",
          kind: "Query",
          metadata: { name: "fuzz-q", resourceVersion: "1" },
          spec: { input: "x" },
          status: { phase: "done", responses: [{ target: { type: "agent", name: "a" }, content: "c" }] },
        },
      },
      {
        method: "DELETE",
        path: "/api/v1/namespaces/{ns}/configmaps/{name}",
        body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground", gracePeriodSeconds: 0, preconditions: { uid: "u", resourceVersion: "1" } },
      },
    ],
  };
}

const MCP_PROTOCOL = "2025-06-18";

export function mcpSurface(sessionId: string): FuzzSurface {
  const call = (name: string, args: Record<string, unknown>) => ({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: args } });
  const samples = [
    { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: MCP_PROTOCOL, capabilities: { roots: { listChanged: true } }, clientInfo: { name: "fuzz", version: "1" } } },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", id: 2, method: "tools/list", params: { cursor: "c" } },
    call("list_agents", { namespace: "fuzz" }),
    call("query", { target: "agent/no-such-agent", input: "hi", namespace: "fuzz", timeout: 1, sessionId: "s" }),
    call("query", { type: "team", name: "no-such-team", input: "hi" }),
    call("query_agent", { agent: "no-such-agent", input: "hi", namespace: "fuzz" }),
    call("get_query", { name: "no-such-query", namespace: "fuzz" }),
    { jsonrpc: "2.0", id: "r", method: "resources/read", params: { uri: "ark://namespaces/fuzz/agents/a" } },
    { jsonrpc: "2.0", id: 3, method: "resources/list" },
    { jsonrpc: "2.0", id: 4, method: "resources/templates/list" },
    { jsonrpc: "2.0", id: 5, method: "ping" },
    { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 7, reason: "r" } },
    [
      { jsonrpc: "2.0", id: 8, method: "ping" },
      { jsonrpc: "2.0", id: 9, method: "tools/list" },
    ],
  ];
  return {
    paths: ["/", "/mcp", "/mcp/", "/health", "/ready", "/metrics", "/nope"],
    methods: ["POST", "DELETE"],
    params: ["sessionId", "session_id"],
    headers: ["mcp-session-id", "mcp-protocol-version", "last-event-id", "accept"],
    baseHeaders: { accept: "application/json, text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": MCP_PROTOCOL },
    samples: samples.map((body) => ({ method: "POST", path: "/mcp", body })),
  };
}

/** `authorization`: a namespace token (postgres-memory takes nothing else), so the fuzz reaches past authentication. */
export function memorySurface(maxBodyBytes: number, authorization?: string): FuzzSurface {
  const message = { role: "assistant", content: "c", tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "{}" } }], name: "n" };
  return {
    paths: ["/messages/{name}", "/message/{name}", "/sessions", "/sessions/{name}", "/messages", "/message", "/health", "/ready", "/metrics"],
    methods: ["PUT", "DELETE", "POST", "PATCH"],
    params: ["limit", "after", "cursor"],
    bodyLimitBytes: maxBodyBytes,
    ...(authorization ? { baseHeaders: { authorization } } : {}),
    samples: [
      { method: "PUT", path: "/messages/{name}", body: { messages: [{ role: "user", content: "hi" }, message, { role: "tool", tool_call_id: "t", content: "r" }] } },
      { method: "PUT", path: "/message/{name}", body: { message } },
    ],
  };
}

export function gatewaySurface(): FuzzSurface {
  const api = arkApiSurface();
  const memory = memorySurface(1_048_576);
  const prefixed = (prefix: string, samples: readonly FuzzSample[]) => samples.map((s) => ({ ...s, path: `${prefix}${s.path}` }));
  return {
    paths: [
      "/",
      "/_gateway",
      "/nope",
      "/nope/x",
      "/_host",
      "/_host/api/health",
      "/_host/nope/x",
      "/api",
      "/api/",
      "/api/health",
      "/api/v1/namespaces/{ns}/agents",
      "/api/v1/namespaces/{ns}/agents/{name}",
      "/api/openai/v1/models",
      "/memory/messages/{name}",
      "/memory/sessions",
      "/mcp/mcp",
      "/mcp/",
      "/API/health",
      "/api%2Fhealth",
      "/api/../memory/sessions",
    ],
    methods: ["POST", "PUT", "DELETE", "PATCH"],
    params: ["limit", "wait"],
    headers: ["host", "x-forwarded-host", "x-forwarded-prefix", "x-forwarded-proto", "x-forwarded-for", "upgrade", "connection"],
    namespaces: NAMESPACES,
    // Host-routed (`api.localhost`) and prefix-routed requests both reach the services behind.
    samples: [
      ...prefixed("/api", api.samples!.filter((s) => s.path.endsWith("/agents")).slice(0, 1)),
      ...prefixed("/memory", memory.samples!),
      ...memory.samples!.map((s) => ({ ...s, headers: { host: "Memory.localhost.:8080" } })),
      ...api.samples!.filter((s) => s.path.endsWith("/secrets")).map((s) => ({ ...s, headers: { host: "api.localhost" } })),
    ],
  };
}

/** ark-api-a2a: JSON-RPC (v1.0 and 0.3) and HTTP+JSON to `agent` (an Agent in default), the cards, GET /agents. */
export function a2aSurface(agent: string): FuzzSurface {
  const base = `/agent/${agent}/`;
  const v1 = { "a2a-version": "1.0" };
  const message = { messageId: "m-1", role: "ROLE_USER", parts: [{ text: "hi" }], metadata: { timeout: "1s" } };
  const legacyMessage = { kind: "message", messageId: "m-2", role: "user", parts: [{ kind: "text", text: "hi" }] };
  const rpc = (method: string, params: unknown, headers?: Record<string, string>): FuzzSample => ({ method: "POST", path: base, body: { jsonrpc: "2.0", id: 1, method, params }, ...(headers ? { headers } : {}) });
  return {
    paths: [
      base,
      `/default${base}`,
      `/{ns}/agent/{name}/`,
      "/agent/{name}/",
      `${base}.well-known/agent-card.json`,
      `${base}.well-known/agent.json`,
      `/{ns}/agent/{name}/.well-known/agent-card.json`,
      `${base}rest/message:send`,
      `${base}rest/tasks/{name}`,
      `${base}rest/tasks`,
      `${base}rest/v1/message:send`,
      "/agents",
      "/agent",
      "/agent/",
      "/health",
      "/ready",
      "/metrics",
      "/nope",
    ],
    methods: ["POST"],
    params: ["historyLength", "pageSize"],
    headers: ["a2a-version", "a2a-extensions", "x-a2a-extensions", "accept"],
    namespaces: NAMESPACES,
    samples: [
      rpc("SendMessage", { message, configuration: { returnImmediately: true } }, v1),
      rpc("SendStreamingMessage", { message }, v1),
      rpc("GetTask", { id: "no-such-task", historyLength: 2 }, v1),
      rpc("CancelTask", { id: "no-such-task" }, v1),
      rpc("ListTasks", { contextId: "c", pageSize: 5, status: "TASK_STATE_COMPLETED" }, v1),
      rpc("SubscribeToTask", { id: "no-such-task" }, v1),
      rpc("message/send", { message: legacyMessage, configuration: { blocking: false } }),
      rpc("tasks/get", { id: "no-such-task", historyLength: 1 }),
      rpc("tasks/cancel", { id: "no-such-task" }),
      { method: "POST", path: `${base}rest/message:send`, body: { message, configuration: { returnImmediately: true } }, headers: v1 },
    ],
  };
}
