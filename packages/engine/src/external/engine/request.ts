import { ENGINE_CONTRACT_VERSION, type EngineModel, type ExecutionEngineRequestInput } from "@ark/types";
import type { ResolvedModelConfig } from "../../providers/config.js";
import type { ChatMessage } from "../../messages.js";
import type { ToolRegistry } from "../../tools/registry.js";

export interface EngineRequestParts {
  agent: { namespace: string; name: string; description?: string | undefined; labels?: Record<string, string> | undefined };
  /** The system prompt, parameters applied. */
  prompt: string;
  parameters?: Record<string, string> | undefined;
  outputSchema?: Record<string, unknown> | undefined;
  model: ResolvedModelConfig;
  tools: ToolRegistry;
  input: string;
  history: ChatMessage[];
  run: { id: string; query?: { name: string; namespace: string; uid?: string | undefined } | undefined; timeoutSeconds?: number | undefined };
  toolCallback?: { url: string; token: string } | undefined;
}

/** The body of `POST <address>/execute`: upstream's request (docs/upstream-compat.md §6.7) and ARK's extension. */
export function engineRequest(parts: EngineRequestParts): ExecutionEngineRequestInput {
  const { agent } = parts;
  const parameters = Object.entries(parts.parameters ?? {})
    .filter(([, value]) => value !== "")
    .map(([name, value]) => ({ name, value }));
  const tools = parts.tools.definitions().map(({ function: fn }) => ({ name: fn.name, description: fn.description ?? "", parameters: fn.parameters }));
  return {
    contractVersion: ENGINE_CONTRACT_VERSION,
    agent: {
      name: agent.name,
      namespace: agent.namespace,
      prompt: parts.prompt,
      description: agent.description ?? "",
      ...(parameters.length > 0 ? { parameters } : {}),
      model: engineModel(parts.model),
      ...(parts.outputSchema ? { outputSchema: parts.outputSchema } : {}),
      ...(agent.labels && Object.keys(agent.labels).length > 0 ? { labels: agent.labels } : {}),
    },
    userInput: { role: "user", content: parts.input },
    history: parts.history.map(engineMessage),
    ...(tools.length > 0 ? { tools } : {}),
    run: {
      id: parts.run.id,
      query: parts.run.query ?? { name: "", namespace: agent.namespace },
      ...(parts.run.timeoutSeconds !== undefined ? { timeoutSeconds: parts.run.timeoutSeconds } : {}),
    },
    ...(parts.toolCallback ? { toolCallback: parts.toolCallback } : {}),
  };
}

/** Provider config as upstream sends it (`config.<type>`), plus `properties` (upstream drops them for openai/azure) and the resolved `headers` (name → value). */
function engineModel(model: ResolvedModelConfig): EngineModel {
  const config: Record<string, unknown> = { baseUrl: model.baseUrl };
  if (model.apiKey) config["apiKey"] = model.apiKey;
  if (model.apiVersion) config["apiVersion"] = model.apiVersion;
  if (model.version) config["version"] = model.version;
  if (model.bedrock) Object.assign(config, model.bedrock);
  if (model.properties && Object.keys(model.properties).length > 0) config["properties"] = model.properties;
  if (model.headers) config["headers"] = model.headers;
  return { name: model.model, type: model.type, config: { [model.type]: config } };
}

function engineMessage(message: ChatMessage): { role: string; content: string; name?: string } {
  if (message.role === "assistant") return { role: "assistant", content: message.content ?? "", ...(message.name ? { name: message.name } : {}) };
  if (message.role === "user" && message.name) return { role: "user", content: message.content, name: message.name };
  return { role: message.role, content: message.content };
}
