import { apiVersionOf } from "./forms/manifest.js";
/** The resource pages: one entry per ark-api collection (`/v1/namespaces/{ns}/<segment>`). */
export interface KindPage {
  segment: string;
  kind: string;
  title: string;
  /** Columns of the list: summary field and heading. */
  columns: Array<[field: string, heading: string]>;
  /** What to do when there are none. */
  empty: string;
  /** Spec fields at the top level of the API's bodies (agents, models…) or under `spec` (tools, MCP servers…). */
  shape: "flat" | "wrapped";
}

export const KIND_PAGES: readonly KindPage[] = [
  {
    segment: "agents",
    kind: "Agent",
    title: "Agents",
    shape: "flat",
    columns: [
      ["description", "Description"],
      ["model_ref", "Model"],
      ["status", "Status"],
    ],
    empty: "Create one with “New agent”, or `kubectl apply -f` an Agent manifest.",
  },
  {
    segment: "teams",
    kind: "Team",
    title: "Teams",
    shape: "flat",
    columns: [
      ["strategy", "Strategy"],
      ["members_count", "Members"],
      ["status", "Status"],
    ],
    empty: "A Team groups agents: apply a Team manifest (members and a strategy) with kubectl.",
  },
  {
    segment: "models",
    kind: "Model",
    title: "Models",
    shape: "flat",
    columns: [
      ["type", "Provider"],
      ["model", "Model"],
      ["status", "Status"],
    ],
    empty: "No models: add one (a Model named default is used by agents without a modelRef) with `kubectl apply -f`.",
  },
  {
    segment: "tools",
    kind: "Tool",
    title: "Tools",
    shape: "wrapped",
    columns: [
      ["type", "Type"],
      ["description", "Description"],
    ],
    empty: "No tools: apply a Tool (http, mcp or agent), or add an MCP server whose tools are discovered.",
  },
  {
    segment: "mcp-servers",
    kind: "MCPServer",
    title: "MCP servers",
    shape: "wrapped",
    columns: [
      ["transport", "Transport"],
      ["address", "Address"],
      ["ready", "Ready"],
      ["tool_count", "Tools"],
      ["status_message", "Message"],
    ],
    empty: "No MCP servers: apply an MCPServer pointing at a Streamable HTTP or SSE server.",
  },
  {
    segment: "a2a-servers",
    kind: "A2AServer",
    title: "A2A servers",
    shape: "wrapped",
    columns: [
      ["description", "Description"],
      ["address", "Address"],
      ["ready", "Ready"],
      ["status_message", "Message"],
    ],
    empty: "No A2A servers: apply an A2AServer with the address of an A2A agent.",
  },
  {
    segment: "memories",
    kind: "Memory",
    title: "Memories",
    shape: "flat",
    columns: [
      ["address", "Address"],
      ["status", "Status"],
    ],
    empty: "No memories: apply a Memory pointing at postgres-memory so agents keep conversations.",
  },
  {
    segment: "queries",
    kind: "Query",
    title: "Queries",
    shape: "flat",
    columns: [
      ["input", "Input"],
      ["phase", "Phase"],
      ["creationTimestamp", "Created"],
    ],
    empty: 'No queries yet: start one from Chat, or `ark query agent/<name> "hello"`.',
  },
  { segment: "evaluations", kind: "Evaluation", title: "Evaluations", shape: "wrapped", columns: [], empty: "No evaluations: apply an Evaluator, then an Evaluation (or a Query with evaluators)." },
  { segment: "evaluators", kind: "Evaluator", title: "Evaluators", shape: "wrapped", columns: [], empty: "No evaluators: apply an Evaluator pointing at evaluator-llm." },
];

export function kindPage(segment: string): KindPage | undefined {
  return KIND_PAGES.find((page) => page.segment === segment);
}

const METADATA_FIELDS = new Set(["name", "namespace", "labels", "annotations", "creationTimestamp", "uid", "resourceVersion", "generation", "status", "skills", "isA2A", "resolved_address"]);

/** A detail of the REST API as the Kubernetes manifest it stands for (the YAML view). */
export function toManifest(page: KindPage, detail: Record<string, unknown>): Record<string, unknown> {
  const metadata = Object.fromEntries(
    ["name", "namespace", "labels", "annotations", "creationTimestamp", "uid", "resourceVersion", "generation"]
      .filter((key) => detail[key] !== undefined && !(typeof detail[key] === "object" && Object.keys(detail[key] as object).length === 0))
      .map((key) => [key, detail[key]]),
  );
  const spec = page.shape === "wrapped" ? detail.spec : Object.fromEntries(Object.entries(detail).filter(([key]) => !METADATA_FIELDS.has(key)));
  if (page.kind === "Model" && spec && typeof spec === "object" && typeof (spec as { model?: unknown }).model === "string") {
    (spec as { model: unknown }).model = { value: (spec as { model: string }).model };
  }
  return { apiVersion: apiVersionOf(page.kind), kind: page.kind, metadata, spec, status: detail.status };
}
