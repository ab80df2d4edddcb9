import { BUILT_IN_TOOL_NAMES, HttpMethod, ModelProviderName, modelProviderOf, TEAM_STRATEGIES, TOOL_TYPES } from "@ark/types";

/** The form's values: one string per field (what the inputs hold). */
export type FormValues = Record<string, string>;

/** Names of the resources the form may offer, by ark-api collection (`models`, `agents`…). */
export type Choices = Record<string, string[]>;

export interface FormField {
  id: string;
  label: string;
  input: "text" | "password" | "textarea" | "select" | "number";
  /** The Kubernetes field paths (prefixes) whose errors belong to this field: `spec.model`, `spec.config.*.apiKey`. */
  paths: string[];
  hint?: string;
  /** Select options: fixed, or from the namespace's resources. */
  options?: readonly string[] | ((choices: Choices) => string[]);
  /** Shown only when the other values say so (e.g. the graph's edges for strategy graph). */
  when?: (values: FormValues) => boolean;
  /** Select: allow no value. */
  optional?: boolean;
}

/** A create/edit form of one kind: its fields and the spec they stand for (checked by @ark/types' schemas). */
export interface KindForm {
  fields: FormField[];
  /** Collections whose names the form offers. */
  needs?: string[];
  /** Spec from the values; a value that cannot be read (bad JSON) throws FieldInputError. */
  toSpec(values: FormValues): Record<string, unknown>;
  fromSpec(spec: Record<string, unknown>): FormValues;
  /**
   * The spec's top-level fields the form stands for: an edit replaces these with what the form holds (a field
   * emptied in the form is removed) and keeps the others as they are (see editedSpec).
   */
  specKeys: readonly string[];
  /** Queries are not edited once made. */
  createOnly?: boolean;
}

/** A value the form cannot turn into a spec, at its field. */
export class FieldInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type Rec = Record<string, unknown>;
const rec = (value: unknown): Rec => (value && typeof value === "object" && !Array.isArray(value) ? (value as Rec) : {});
const str = (value: unknown): string => (typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));
/** Only the keys with a value: empty inputs leave a field out (the schema then says when it is required). */
const some = (entries: Record<string, unknown>): Rec => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0)));
const valueOf = (text: string) => (text.trim() ? { value: text.trim() } : undefined);
const fromValue = (source: unknown) => str(rec(source).value);
/** A whole number as a number; anything else as typed, so the schema names the field. */
const numberOf = (text: string): unknown => (text.trim() === "" ? undefined : /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());
const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

const NAME_HINT = "Lowercase letters, digits and '-' (a DNS subdomain).";
export const NAME_FIELD: FormField = { id: "name", label: "Name", input: "text", paths: ["metadata.name", "name"], hint: NAME_HINT };

const names =
  (segment: string, prefix = "") =>
  (choices: Choices) =>
    (choices[segment] ?? []).map((n) => `${prefix}${n}`);

const model: KindForm = {
  specKeys: ["type", "provider", "model", "config"],
  fields: [
    { id: "type", label: "Provider", input: "select", paths: ["spec.type", "spec.provider", "spec.config"], options: ModelProviderName.options },
    { id: "model", label: "Model", input: "text", paths: ["spec.model"], hint: "Model or deployment id, e.g. gpt-4.1-mini." },
    { id: "baseUrl", label: "Base URL", input: "text", paths: ["spec.config.*.baseUrl"], hint: "The provider's API endpoint, e.g. https://api.openai.com/v1." },
    { id: "apiKeySecret", label: "API key Secret", input: "text", paths: ["spec.config.*.apiKey.valueFrom"], hint: "A Secret in this namespace holding the key (recommended)." },
    { id: "apiKeySecretKey", label: "Key in the Secret", input: "text", paths: ["spec.config.*.apiKey.valueFrom.secretKeyRef.key"], hint: "Default: token." },
    { id: "apiKey", label: "API key value", input: "password", paths: ["spec.config.*.apiKey"], hint: "Or the key itself (stored in the Model's spec)." },
  ],
  toSpec(v) {
    const type = v.type ?? "";
    const apiKey = v.apiKeySecret?.trim() ? { valueFrom: { secretKeyRef: { name: v.apiKeySecret.trim(), key: v.apiKeySecretKey?.trim() || "token" } } } : valueOf(v.apiKey ?? "");
    // What the form does not show of the provider's block (headers, properties, apiVersion…) stays while the provider does.
    const kept = type && type === v.keptProvider && v.keptConfig ? (JSON.parse(v.keptConfig) as Rec) : {};
    const config = type ? { [type]: { ...kept, ...some({ baseUrl: valueOf(v.baseUrl ?? ""), apiKey }) } } : {};
    // A Model written in upstream's newer shape keeps it: spec.provider, with its spec.type (completions).
    const shape = v.shape === "provider" ? { provider: type, type: v.modelType || undefined } : { type };
    return some({ ...shape, model: valueOf(v.model ?? ""), config });
  },
  fromSpec(spec) {
    const type = modelProviderOf({ provider: str(spec.provider) as never, type: str(spec.type) as never }) ?? "";
    const config = rec(rec(spec.config)[type]);
    const secret = rec(rec(rec(config.apiKey).valueFrom).secretKeyRef);
    const { baseUrl: _baseUrl, apiKey: _apiKey, ...rest } = config;
    return {
      type,
      model: fromValue(spec.model),
      baseUrl: fromValue(config.baseUrl),
      apiKeySecret: str(secret.name),
      apiKeySecretKey: str(secret.key),
      apiKey: fromValue(config.apiKey),
      shape: spec.provider ? "provider" : "type",
      modelType: spec.provider ? str(spec.type) : "",
      keptProvider: type,
      keptConfig: Object.keys(rest).length ? JSON.stringify(rest) : "",
    };
  },
};

const team: KindForm = {
  specKeys: ["description", "strategy", "members", "loops", "maxTurns", "graph", "selector"],
  needs: ["agents", "teams", "models"],
  fields: [
    { id: "description", label: "Description", input: "text", paths: ["spec.description"] },
    { id: "strategy", label: "Strategy", input: "select", paths: ["spec.strategy"], options: TEAM_STRATEGIES },
    { id: "members", label: "Members", input: "textarea", paths: ["spec.members"], hint: "One a line, in order: an agent's name, or team/<name> for a team." },
    {
      id: "loops",
      label: "Loops",
      input: "select",
      paths: ["spec.loops"],
      options: ["true"],
      optional: true,
      hint: "Go round the members again, until terminate or max turns rounds.",
      when: (v) => v.strategy === "sequential",
    },
    { id: "maxTurns", label: "Max turns", input: "number", paths: ["spec.maxTurns"], hint: "Turn limit for round-robin, looping sequential, selector and graph." },
    {
      id: "edges",
      label: "Graph edges",
      input: "textarea",
      paths: ["spec.graph"],
      hint: "One a line: from -> to. With the selector strategy: who may follow whom.",
      optional: true,
      when: (v) => v.strategy === "graph" || v.strategy === "selector",
    },
    {
      id: "selectorAgent",
      label: "Selector agent",
      input: "select",
      paths: ["spec.selector.agent"],
      options: names("agents"),
      optional: true,
      hint: "An agent that picks the next member; else the selector model.",
      when: (v) => v.strategy === "selector",
    },
    { id: "selectorModel", label: "Selector model", input: "select", paths: ["spec.selector.model"], options: names("models"), optional: true, when: (v) => v.strategy === "selector" && !v.selectorAgent },
    {
      id: "selectorPrompt",
      label: "Selector prompt",
      input: "textarea",
      paths: ["spec.selector.selectorPrompt"],
      optional: true,
      hint: "Go template over .Roles, .Participants and .History.",
      when: (v) => v.strategy === "selector",
    },
    { id: "enableTerminateTool", label: "Selector may end the team", input: "select", paths: ["spec.selector.enableTerminateTool"], options: ["true"], optional: true, when: (v) => v.strategy === "selector" },
    { id: "terminatePrompt", label: "When to end", input: "text", paths: ["spec.selector.terminatePrompt"], optional: true, when: (v) => v.strategy === "selector" && v.enableTerminateTool === "true" },
  ],
  toSpec(v) {
    const members = lines(v.members ?? "").map((line) => (line.startsWith("team/") ? { type: "team", name: line.slice(5) } : { type: "agent", name: line.replace(/^agent\//, "") }));
    const edges = lines(v.edges ?? "").map((line, i) => {
      const [from, to, ...rest] = line.split("->").map((part) => part.trim());
      if (!from || !to || rest.length) throw new FieldInputError("edges", `line ${i + 1} "${line}": write an edge as from -> to`);
      return { from, to };
    });
    const terminate = v.enableTerminateTool === "true";
    const selector = some({
      agent: v.selectorAgent || undefined,
      model: v.selectorAgent ? undefined : v.selectorModel || undefined,
      selectorPrompt: v.selectorPrompt?.trim() || undefined,
      enableTerminateTool: terminate || undefined,
      terminatePrompt: terminate ? v.terminatePrompt?.trim() || undefined : undefined,
    });
    return some({
      description: v.description?.trim(),
      strategy: v.strategy ?? "",
      members,
      loops: v.strategy === "sequential" && v.loops === "true" ? true : undefined,
      maxTurns: numberOf(v.maxTurns ?? ""),
      graph: (v.strategy === "graph" || v.strategy === "selector") && edges.length ? { edges } : undefined,
      selector: v.strategy === "selector" && Object.keys(selector).length ? selector : undefined,
    });
  },
  fromSpec(spec) {
    const members = (Array.isArray(spec.members) ? spec.members : []).map((m) => (rec(m).type === "team" ? `team/${str(rec(m).name)}` : str(rec(m).name)));
    const edges = (Array.isArray(rec(spec.graph).edges) ? (rec(spec.graph).edges as unknown[]) : []).map((e) => `${str(rec(e).from)} -> ${str(rec(e).to)}`);
    const selector = rec(spec.selector);
    return {
      description: str(spec.description),
      strategy: str(spec.strategy),
      members: members.join("\n"),
      loops: spec.loops === true ? "true" : "",
      maxTurns: str(spec.maxTurns),
      edges: edges.join("\n"),
      selectorAgent: str(selector.agent),
      selectorModel: str(selector.model),
      selectorPrompt: str(selector.selectorPrompt),
      enableTerminateTool: selector.enableTerminateTool === true ? "true" : "",
      terminatePrompt: str(selector.terminatePrompt),
    };
  },
};

const query: KindForm = {
  specKeys: ["input", "target", "sessionId", "timeout", "evaluators"],
  createOnly: true,
  needs: ["agents", "teams", "models", "tools", "evaluators"],
  fields: [
    {
      id: "target",
      label: "Target",
      input: "select",
      paths: ["spec.target", "spec.targets"],
      options: (c) => [...names("agents", "agent/")(c), ...names("teams", "team/")(c), ...names("models", "model/")(c), ...names("tools", "tool/")(c)],
      optional: true,
    },
    { id: "input", label: "Input", input: "textarea", paths: ["spec.input"], hint: "The user message." },
    { id: "sessionId", label: "Session", input: "text", paths: ["spec.sessionId"], hint: "Memory session to continue; unset: a new one." },
    { id: "timeout", label: "Timeout", input: "text", paths: ["spec.timeout"], hint: "A duration such as 30s or 5m (default 5m)." },
    { id: "evaluators", label: "Evaluators", input: "text", paths: ["spec.evaluators"], hint: "Comma-separated Evaluator names that judge the answer." },
  ],
  toSpec(v) {
    const [type, ...rest] = (v.target ?? "").split("/");
    const evaluators = (v.evaluators ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean)
      .map((name) => ({ name }));
    return some({ input: v.input, target: type && rest.length ? { type, name: rest.join("/") } : undefined, sessionId: v.sessionId?.trim(), timeout: v.timeout?.trim(), evaluators });
  },
  fromSpec(spec) {
    const target = rec(spec.target);
    return {
      input: str(spec.input),
      target: target.type ? `${str(target.type)}/${str(target.name)}` : "",
      sessionId: str(spec.sessionId),
      timeout: str(spec.timeout),
      evaluators: (Array.isArray(spec.evaluators) ? spec.evaluators : []).map((e) => str(rec(e).name)).join(", "),
    };
  },
};

const APPROVAL_REQUIRED = "required";
const APPROVAL_WITH_REASON = "required, a rejection gives a reason";
const isType =
  (...types: string[]) =>
  (v: FormValues) =>
    types.includes(v.type ?? "");
const hasApproval = (v: FormValues) => Boolean(v.approval);

const tool: KindForm = {
  specKeys: ["type", "description", "inputSchema", "http", "mcp", "agent", "team", "builtin", "approval"],
  needs: ["mcp-servers", "agents", "teams"],
  fields: [
    { id: "type", label: "Type", input: "select", paths: ["spec.type"], options: TOOL_TYPES, hint: "http calls a URL, mcp a tool of an MCP server, agent and team run one as the tool, builtin is noop or terminate." },
    { id: "description", label: "Description", input: "text", paths: ["spec.description"], hint: "What the model reads to decide when to call it." },
    {
      id: "url",
      label: "URL",
      input: "text",
      paths: ["spec.http.url", "spec.http"],
      hint: "Called with the tool-call arguments: {city} is replaced by the URL-escaped argument, e.g. https://wttr.in/{city}?format=3.",
      when: isType("http"),
    },
    { id: "method", label: "Method", input: "select", paths: ["spec.http.method"], options: HttpMethod.options, when: isType("http") },
    {
      id: "body",
      label: "Body",
      input: "textarea",
      paths: ["spec.http.body", "spec.http.bodyParameters"],
      hint: "Go template over .input (the arguments), sent for POST, PUT and PATCH.",
      when: (v) => isType("http")(v) && ["POST", "PUT", "PATCH"].includes(v.method ?? ""),
    },
    { id: "httpTimeout", label: "Request timeout", input: "text", paths: ["spec.http.timeout"], hint: "A number with unit s, m or h, e.g. 30s (the default).", when: isType("http") },
    { id: "mcpServer", label: "MCP server", input: "select", paths: ["spec.mcp.mcpServerRef", "spec.mcp"], options: names("mcp-servers"), optional: true, when: isType("mcp") },
    { id: "toolName", label: "Tool name on the server", input: "text", paths: ["spec.mcp.toolName"], when: isType("mcp") },
    { id: "agentName", label: "Agent", input: "select", paths: ["spec.agent"], options: names("agents"), optional: true, hint: "The agent run with the call's input.", when: isType("agent") },
    { id: "teamName", label: "Team", input: "select", paths: ["spec.team"], options: names("teams"), optional: true, hint: "The team run with the call's input.", when: isType("team") },
    { id: "builtinName", label: "Built-in tool", input: "select", paths: ["spec.builtin"], options: BUILT_IN_TOOL_NAMES, when: isType("builtin") },
    {
      id: "inputSchema",
      label: "Input schema (JSON)",
      input: "textarea",
      paths: ["spec.inputSchema"],
      hint: 'JSON Schema of the arguments, e.g. {"type":"object","properties":{"city":{"type":"string"}}}. Agent and team tools take {"input": "…"} when empty.',
    },
    {
      id: "approval",
      label: "Approval",
      input: "select",
      paths: ["spec.approval.required", "spec.approval.reasonRequired", "spec.approval"],
      options: [APPROVAL_REQUIRED, APPROVAL_WITH_REASON],
      optional: true,
      hint: "A person approves each call on the Tool approvals page before it runs.",
    },
    { id: "approvalWhen", label: "Ask only when (CEL)", input: "text", paths: ["spec.approval.when"], hint: "Over the call's arguments, e.g. args.amount > 100; empty: every call.", when: hasApproval },
    {
      id: "approvalTimeout",
      label: "Approval timeout",
      input: "text",
      paths: ["spec.approval.timeout"],
      hint: "How long a call waits for a decision (then it is rejected), e.g. 10m; empty: the query's timeout.",
      when: hasApproval,
    },
  ],
  toSpec(v) {
    let inputSchema: unknown;
    if (v.inputSchema?.trim()) {
      try {
        inputSchema = JSON.parse(v.inputSchema);
      } catch (err) {
        throw new FieldInputError("inputSchema", `not valid JSON: ${(err as Error).message}`);
      }
    }
    const type = v.type ?? "";
    const sendsBody = ["POST", "PUT", "PATCH"].includes(v.method ?? "");
    return some({
      type,
      description: v.description?.trim(),
      inputSchema,
      http: type === "http" ? some({ url: v.url?.trim(), method: v.method || undefined, body: sendsBody ? v.body || undefined : undefined, timeout: v.httpTimeout?.trim() }) : undefined,
      mcp: type === "mcp" ? some({ mcpServerRef: v.mcpServer ? { name: v.mcpServer } : undefined, toolName: v.toolName?.trim() }) : undefined,
      agent: type === "agent" && v.agentName ? { name: v.agentName } : undefined,
      team: type === "team" && v.teamName ? { name: v.teamName } : undefined,
      builtin: type === "builtin" && v.builtinName ? { name: v.builtinName } : undefined,
      approval: v.approval ? some({ required: true, reasonRequired: v.approval === APPROVAL_WITH_REASON ? true : undefined, when: v.approvalWhen?.trim(), timeout: v.approvalTimeout?.trim() }) : undefined,
    });
  },
  fromSpec(spec) {
    const http = rec(spec.http);
    const mcp = rec(spec.mcp);
    const approval = rec(spec.approval);
    const approved = spec.approval !== undefined && (approval.required === true || (approval.required === undefined && approval.when !== undefined));
    return {
      type: str(spec.type),
      description: str(spec.description),
      url: str(http.url),
      method: str(http.method),
      body: str(http.body),
      httpTimeout: str(http.timeout),
      mcpServer: str(rec(mcp.mcpServerRef).name),
      toolName: str(mcp.toolName),
      agentName: str(rec(spec.agent).name),
      teamName: str(rec(spec.team).name),
      builtinName: str(rec(spec.builtin).name),
      inputSchema: spec.inputSchema ? JSON.stringify(spec.inputSchema, null, 2) : "",
      approval: approved ? (approval.reasonRequired === true ? APPROVAL_WITH_REASON : APPROVAL_REQUIRED) : "",
      approvalWhen: str(approval.when),
      approvalTimeout: str(approval.timeout),
    };
  },
};

const mcpServer: KindForm = {
  specKeys: ["address", "transport", "description", "timeout", "pollInterval"],
  fields: [
    { id: "address", label: "Address", input: "text", paths: ["spec.address"], hint: "URL of the MCP endpoint with its path, e.g. http://filesys-mcp:8080/mcp." },
    { id: "transport", label: "Transport", input: "select", paths: ["spec.transport"], options: ["http", "sse"] },
    { id: "description", label: "Description", input: "text", paths: ["spec.description"] },
    { id: "timeout", label: "Timeout", input: "text", paths: ["spec.timeout"], hint: "Of each MCP request, e.g. 30s." },
    { id: "pollInterval", label: "Poll interval", input: "text", paths: ["spec.pollInterval"], hint: "How often tools are rediscovered, e.g. 1m." },
  ],
  toSpec: (v) => some({ address: valueOf(v.address ?? ""), transport: v.transport, description: v.description?.trim(), timeout: v.timeout?.trim(), pollInterval: v.pollInterval?.trim() }),
  fromSpec: (spec) => ({ address: fromValue(spec.address), transport: str(spec.transport), description: str(spec.description), timeout: str(spec.timeout), pollInterval: str(spec.pollInterval) }),
};

const memory: KindForm = {
  specKeys: ["address"],
  fields: [{ id: "address", label: "Address", input: "text", paths: ["spec.address"], hint: "Base URL of the memory service, e.g. http://postgres-memory:8080." }],
  toSpec: (v) => some({ address: valueOf(v.address ?? "") }),
  fromSpec: (spec) => ({ address: fromValue(spec.address) }),
};

const evaluator: KindForm = {
  specKeys: ["address", "description", "parameters"],
  needs: ["models"],
  fields: [
    { id: "address", label: "Address", input: "text", paths: ["spec.address"], hint: "The evaluator's endpoint, e.g. http://evaluator-llm:8000/evaluate." },
    { id: "description", label: "Description", input: "text", paths: ["spec.description"] },
    { id: "judgeModel", label: "Judge model", input: "select", paths: ["spec.parameters"], options: names("models"), optional: true, hint: "Unset: the Model named default." },
  ],
  toSpec: (v) => some({ address: valueOf(v.address ?? ""), description: v.description?.trim(), parameters: v.judgeModel ? [{ name: "model.name", value: v.judgeModel }] : undefined }),
  fromSpec(spec) {
    const parameters = Array.isArray(spec.parameters) ? spec.parameters.map(rec) : [];
    return { address: fromValue(spec.address), description: str(spec.description), judgeModel: str(parameters.find((p) => p.name === "model.name")?.value) };
  },
};

/** The kinds with a form (agents have their own page, with its tool checkboxes). */
export const KIND_FORMS: Record<string, KindForm> = { models: model, teams: team, queries: query, tools: tool, "mcp-servers": mcpServer, memories: memory, evaluators: evaluator };

/** An edit's whole spec: the current one with the form's fields replaced by what the form holds (absent: removed). */
export function editedSpec(form: KindForm, current: Record<string, unknown>, values: FormValues): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(current).filter(([key]) => !form.specKeys.includes(key)));
  return { ...kept, ...form.toSpec(values) };
}

/** The field an error at a Kubernetes field path belongs to: the longest matching path (`*` matches one segment). */
export function fieldForPath(fields: readonly FormField[], path: string): string | undefined {
  let best: { id: string; length: number } | undefined;
  for (const field of fields) {
    for (const pattern of field.paths) {
      const regex = new RegExp(`^${pattern.replace(/[.[\]]/g, "\\$&").replace(/\\\.\*\\\./g, "\\.[^.]+\\.")}(?:$|[.[])`);
      if (regex.test(path) && (!best || pattern.length > best.length)) best = { id: field.id, length: pattern.length };
    }
  }
  return best?.id;
}
