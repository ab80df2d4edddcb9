import { randomUUID } from "node:crypto";
import type { EngineTool, EngineToolCallback, ExecutionEngineRequest, ExecutionEngineResponse } from "@ark/types";
import { traceHeaders } from "@ark/service-kit";
import { ToolCallbackResponse } from "@ark/types";
import { AIMessage, AIMessageChunk, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { DynamicStructuredTool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { chatModel } from "./model.js";

/** Upstream's default when an agent has no prompt. */
const DEFAULT_PROMPT = "You are a helpful assistant.";

/** Where a run reports what happens, as it happens (the NDJSON stream; ignored for a JSON answer). */
export interface RunSink {
  content(chunk: string): void;
  toolCall(id: string, name: string, args: string): void;
  toolResult(id: string, name: string, content: string, isError: boolean): void;
}

/**
 * One execution: a LangGraph ReAct agent over the request's model, with the agent's tools bound as LangChain tools
 * that run in ARK through the tool callback. The system prompt always leads (follow-ups too), then the history,
 * then the user input.
 */
export async function runLangChainAgent(request: ExecutionEngineRequest, sink: RunSink, signal: AbortSignal): Promise<ExecutionEngineResponse> {
  const { agent } = request;
  const llm = chatModel(agent.model, { outputSchema: agent.outputSchema, agent: agent.name });
  const tools = request.toolCallback ? (request.tools ?? []).map((tool) => callbackTool(tool, request.toolCallback!, sink, signal)) : [];
  const graph = createReactAgent({ llm, tools, prompt: agent.prompt || DEFAULT_PROMPT });
  const input = [...request.history.flatMap(historyMessage), new HumanMessage(request.userInput.content)];
  let final: BaseMessage[] = input;
  const stream = await graph.stream({ messages: input }, { signal, streamMode: ["messages", "values"] });
  for await (const [mode, payload] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === "values") {
      final = (payload as { messages: BaseMessage[] }).messages;
    } else if (mode === "messages") {
      const [chunk] = payload as [BaseMessage, unknown];
      if (AIMessageChunk.isInstance(chunk)) {
        const text = textOf(chunk.content);
        if (text) sink.content(text);
      }
    }
  }
  const added = final.slice(input.length);
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  for (const message of added) {
    const counted = AIMessage.isInstance(message) ? message.usage_metadata : undefined;
    if (!counted) continue;
    usage.prompt_tokens += counted.input_tokens;
    usage.completion_tokens += counted.output_tokens;
    usage.total_tokens += counted.total_tokens;
  }
  const answer = [...added].reverse().find((message) => AIMessage.isInstance(message));
  const content = answer ? textOf(answer.content) : "";
  return { messages: [{ role: "assistant", content, name: agent.name }], error: "", token_usage: usage };
}

/** History as a LangChain user keeps it: user, assistant and system turns; tool results and empty tool-call turns dropped. */
function historyMessage(message: { role: string; content: string }): BaseMessage[] {
  if (message.role === "user") return [new HumanMessage(message.content)];
  if (message.role === "system") return [new SystemMessage(message.content)];
  if (message.role === "assistant" && message.content) return [new AIMessage(message.content)];
  return [];
}

/** A LangChain tool whose execution is ARK's: POST toolCallback.url with the run's token. */
function callbackTool(tool: EngineTool, callback: EngineToolCallback, sink: RunSink, signal: AbortSignal): DynamicStructuredTool {
  return new DynamicStructuredTool({
    name: tool.name,
    description: tool.description || tool.name,
    schema: (tool.parameters && Object.keys(tool.parameters).length > 0 ? tool.parameters : { type: "object", properties: {} }) as Record<string, unknown>,
    func: async (input: unknown, _runManager, config) => {
      const id = (config as { toolCall?: { id?: string } } | undefined)?.toolCall?.id ?? `call_${randomUUID()}`;
      const args = JSON.stringify(input ?? {});
      sink.toolCall(id, tool.name, args);
      let result: { content: string; isError: boolean };
      try {
        result = await callTool(callback, { name: tool.name, arguments: args, toolCallId: id }, signal);
      } catch (error) {
        result = { content: `Error: ${(error as Error).message}`, isError: true };
      }
      sink.toolResult(id, tool.name, result.content, result.isError);
      return result.content;
    },
  });
}

async function callTool(callback: EngineToolCallback, body: { name: string; arguments: string; toolCallId: string }, signal: AbortSignal): Promise<{ content: string; isError: boolean }> {
  const response = await fetch(callback.url, {
    method: "POST",
    // ARK's tool span joins this run's trace (docs/architecture.md §9.1).
    headers: { "content-type": "application/json", authorization: `Bearer ${callback.token}`, ...traceHeaders() },
    body: JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ARK tool callback answered ${response.status}: ${text.slice(0, 300)}`);
  return ToolCallbackResponse.parse(JSON.parse(text));
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === "string" ? part : typeof part?.text === "string" ? part.text : "")).join("");
  return "";
}
