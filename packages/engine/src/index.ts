export { EngineError, isEngineError, ENGINE_ERROR_CODES, type EngineErrorCode } from "./errors.js";
export type { ChatMessage, SystemMessage, UserMessage, AssistantMessage, ToolMessage, ToolCall, ToolDefinition } from "./messages.js";
export { splitQueryMessages } from "./messages.js";
export { addUsage, zeroUsage, type TokenCount } from "./usage.js";

export type { ModelProvider, ChatRequest, ChatResult, ResponseFormat } from "./providers/provider.js";
export type { ResolvedModelConfig, ProviderOptions, BedrockSettings } from "./providers/config.js";
export type { ProviderFetch } from "./providers/native/fetch.js";
export { resolveModelConfig, type ValueSourceResolver } from "./providers/model-config.js";
export { createModelProvider, PROVIDER_FACTORIES, type ProviderFactory } from "./providers/index.js";
export { createOpenAIProvider } from "./providers/openai.js";
export { createAzureProvider, DEFAULT_AZURE_API_VERSION } from "./providers/azure.js";
export { createAnthropicProvider } from "./providers/anthropic.js";
export { createBedrockProvider } from "./providers/bedrock.js";
export { createGeminiProvider } from "./providers/gemini.js";
export { createOllamaProvider } from "./providers/ollama.js";
export { coerceProperties, DEFAULT_REQUEST_PROPERTIES } from "./providers/properties.js";
export { HttpPools, sharedHttpPools } from "./http/pools.js";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./http/retry.js";

export type { Tool, ToolResult, ToolCallContext } from "./tools/tool.js";
export { ToolRegistry } from "./tools/registry.js";
export { isApprovalPause, type ApprovalPause, type AgentApprovals, type AgentFrame, type AgentPauseState, type ApprovalDecisionForCall, type RunFrame } from "./tools/approval.js";
export { builtinTool, noopTool, terminateTool, BUILTIN_TOOLS } from "./tools/builtin.js";
export { createHttpTool, parseToolTimeout, expandUrl, DEFAULT_HTTP_TOOL_TIMEOUT_MS, type HttpToolDefinition } from "./tools/http.js";
export { MAX_RESPONSE_BYTES, TRUNCATION_NOTE } from "./tools/http-request.js";
export { EgressGuard, EgressRefusedError, defaultEgressGuard, egressEntryProblems, METADATA_DENY_LIST, type EgressPolicy } from "./tools/egress.js";
export { sanitizeRemoteText, type RemoteTextOptions } from "./remote-text.js";
export { withFunctions, applyJq, type ToolFunction } from "./tools/functions.js";
export * from "./tools/mcp/index.js";

export { runAgent, type AgentDefinition, type RunAgentOptions, type AgentRunResult } from "./agent/loop.js";
export { agentDefinition } from "./agent/definition.js";
export { outputSchemaFormat, responseFormatName } from "./agent/output-schema.js";

export { renderTemplate, renderWithParameters } from "./prompt-template.js";
export { resolveParameters, type ConfigValueReader, type ParameterSpec } from "./targets/parameters.js";

export { runTeam, teamMember, TEAM_STRATEGY_RUNNERS, type TeamDefinition, type RunTeamOptions, type TeamRunResult } from "./teams/team.js";
export { agentMember, type TeamMember, type MemberTurn, type MemberResult, type AgentMemberOptions } from "./teams/member.js";
export type { SelectionReason } from "./teams/team-run.js";
export { DEFAULT_SELECTOR_PROMPT, chooseMember, selectorPromptData } from "./teams/selector-prompt.js";
export * from "./targets/index.js";
export * from "./memory/index.js";

export { chatWithEvents } from "./events/llm-call.js";
export { contextEmitter, type EventSink, type EventContext, type StepEvent } from "./events/emit.js";
export { TokenUsageCollector } from "./events/token-usage-collector.js";
export * from "./external/engine/index.js";
export * from "./a2a/index.js";
export { withTraceContent, TRACE_CONTENT_TRUNCATED_CHARS, type TraceContentMode } from "./tracing.js";
