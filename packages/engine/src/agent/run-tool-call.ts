import { SpanStatusCode } from "@opentelemetry/api";
import { raceAbort } from "../abort.js";
import type { EventSink, StepEvent } from "../events/emit.js";
import type { ToolCall, ToolMessage } from "../messages.js";
import { type AgentApprovals, type ApprovalDecisionForCall, isApprovalPause } from "../tools/approval.js";
import type { ToolRegistry } from "../tools/registry.js";
import { setSpanContent, traced } from "../tracing.js";

export interface ToolCallOutcome {
  message: ToolMessage;
  terminate: boolean;
  /** Why the call failed (the message then says `Error: <error>`). */
  error?: string;
}

interface ToolCallRunContext {
  agent: string;
  signal?: AbortSignal;
  emit?: (event: StepEvent) => void;
  /** Set when the run may pause: a nested run (an agent or team as a tool) may pause too, or resumes. */
  approvals?: AgentApprovals;
}

/** Runs one tool call; any failure becomes an `Error: …` result for the model, not an exception (except cancel). */
export async function runToolCall(call: ToolCall, tools: ToolRegistry | undefined, context: ToolCallRunContext): Promise<ToolCallOutcome> {
  return toolSpan(call, context.agent, tools, () => toolCall(call, tools, context));
}

/**
 * The GenAI semantic conventions' execute_tool span around a call (run, refused or decided by a person): its outcome is
 * ark.tool.outcome and, when failed, status ERROR with the reason.
 */
function toolSpan(call: ToolCall, agent: string, tools: ToolRegistry | undefined, run: () => Promise<ToolCallOutcome>): Promise<ToolCallOutcome> {
  const toolName = call.function.name;
  const attributes = { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": toolName, "gen_ai.tool.call.id": call.id, "ark.agent": agent };
  return traced(`execute_tool ${toolName}`, attributes, async (span) => {
    const tool = tools?.get(toolName);
    if (tool) span.setAttribute("ark.tool.kind", tool.kind);
    setSpanContent(span, { "langfuse.observation.input": () => call.function.arguments });
    const outcome = await run();
    span.setAttribute("ark.tool.outcome", outcome.error === undefined ? "success" : "error");
    if (outcome.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
    setSpanContent(span, { "langfuse.observation.output": () => outcome.message.content });
    return outcome;
  });
}

async function toolCall(call: ToolCall, tools: ToolRegistry | undefined, context: ToolCallRunContext): Promise<ToolCallOutcome> {
  const { agent, signal, emit, approvals } = context;
  const toolName = call.function.name;
  const started = performance.now();
  emit?.({ type: "tool.call.started", toolName, toolCallId: call.id, arguments: call.function.arguments });
  let content: string;
  let error: string | undefined;
  let terminate = false;
  const tool = tools?.get(toolName);
  if (!tool) {
    error = `tool ${toolName} not found`;
  } else {
    try {
      const emitNested = emit && nestedSink(emit, call.id);
      const work = tool.execute(call.function.arguments, { toolCallId: call.id, agent, signal, ...(emitNested ? { emitNested } : {}), ...(approvals ? { approvals } : {}) });
      const result = await raceAbort(work, signal, `agent ${agent}: tool ${toolName}`);
      content = result.content;
      terminate = result.terminate === true;
    } catch (thrown) {
      // A nested run waiting for approval is no failure: the loop pauses around it.
      if (signal?.aborted || isApprovalPause(thrown)) throw thrown;
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
  }
  content = error === undefined ? content! : `Error: ${error}`;
  emit?.({
    type: "tool.call.completed",
    toolName,
    toolCallId: call.id,
    result: content,
    isError: error !== undefined,
    ...(error !== undefined ? { error } : {}),
    durationMs: performance.now() - started,
  });
  return { message: { role: "tool", tool_call_id: call.id, content }, terminate, ...(error !== undefined ? { error } : {}) };
}

/** A call a person decided: run (with the arguments they set, if any), or its refusal as the result the model sees. */
export async function decidedToolCall(call: ToolCall, decision: ApprovalDecisionForCall, tools: ToolRegistry | undefined, context: ToolCallRunContext): Promise<ToolCallOutcome> {
  if (decision.run) {
    const edited = decision.arguments === undefined ? call : { ...call, function: { ...call.function, arguments: decision.arguments } };
    return runToolCall(edited, tools, context);
  }
  const toolName = call.function.name;
  return toolSpan(call, context.agent, tools, async () => {
    context.emit?.({ type: "tool.call.started", toolName, toolCallId: call.id, arguments: call.function.arguments });
    const content = `Error: ${decision.message}`;
    context.emit?.({ type: "tool.call.completed", toolName, toolCallId: call.id, result: content, isError: true, error: decision.message, durationMs: 0 });
    return { message: { role: "tool", tool_call_id: call.id, content }, terminate: false, error: decision.message };
  });
}

/**
 * A call needing a person's approval where the run cannot wait for one (`why`): the model (or engine) gets it refused
 * as an error result, with its events and span, and the tool does not run.
 */
export function refusedApprovalCall(call: ToolCall, tools: ToolRegistry | undefined, context: ToolCallRunContext, why: string): Promise<ToolCallOutcome> {
  const toolName = call.function.name;
  const error = `tool ${toolName} needs a person's approval, which agent ${context.agent} cannot wait for here (${why})`;
  return toolSpan(call, context.agent, tools, async () => {
    context.emit?.({ type: "tool.call.started", toolName, toolCallId: call.id, arguments: call.function.arguments });
    context.emit?.({ type: "tool.call.completed", toolName, toolCallId: call.id, result: `Error: ${error}`, isError: true, error, durationMs: 0 });
    return { message: { role: "tool", tool_call_id: call.id, content: `Error: ${error}` }, terminate: false, error };
  });
}

/**
 * The events of a run nested under this call: stamped with the call's id (the innermost call's, when nested deeper)
 * and re-emitted through the caller's emitter, so they keep the caller's query target.
 */
function nestedSink(emit: (event: StepEvent) => void, toolCallId: string): EventSink {
  return (event) => {
    const { time: _time, target: _target, ...step } = event;
    emit({ ...step, parentToolCallId: event.parentToolCallId ?? toolCallId } as StepEvent);
  };
}
