import { raceAbort } from "../abort.js";
import type { EventSink, StepEvent } from "../events/emit.js";
import type { ToolCall, ToolMessage } from "../messages.js";
import type { ApprovalDecisionForCall } from "../tools/approval.js";
import type { ToolRegistry } from "../tools/registry.js";

export interface ToolCallOutcome {
  message: ToolMessage;
  terminate: boolean;
  /** Why the call failed (the message then says `Error: <error>`). */
  error?: string;
}

/** Runs one tool call; any failure becomes an `Error: …` result for the model, not an exception (except cancel). */
export async function runToolCall(
  call: ToolCall,
  tools: ToolRegistry | undefined,
  context: { agent: string; signal?: AbortSignal; emit?: (event: StepEvent) => void },
): Promise<ToolCallOutcome> {
  const { agent, signal, emit } = context;
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
      const work = tool.execute(call.function.arguments, { toolCallId: call.id, agent, signal, ...(emitNested ? { emitNested } : {}) });
      const result = await raceAbort(work, signal, `agent ${agent}: tool ${toolName}`);
      content = result.content;
      terminate = result.terminate === true;
    } catch (thrown) {
      if (signal?.aborted) throw thrown;
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
export async function decidedToolCall(
  call: ToolCall,
  decision: ApprovalDecisionForCall,
  tools: ToolRegistry | undefined,
  context: { agent: string; signal?: AbortSignal; emit?: (event: StepEvent) => void },
): Promise<ToolCallOutcome> {
  if (decision.run) {
    const edited = decision.arguments === undefined ? call : { ...call, function: { ...call.function, arguments: decision.arguments } };
    return runToolCall(edited, tools, context);
  }
  const toolName = call.function.name;
  context.emit?.({ type: "tool.call.started", toolName, toolCallId: call.id, arguments: call.function.arguments });
  const content = `Error: ${decision.message}`;
  context.emit?.({ type: "tool.call.completed", toolName, toolCallId: call.id, result: content, isError: true, error: decision.message, durationMs: 0 });
  return { message: { role: "tool", tool_call_id: call.id, content }, terminate: false, error: decision.message };
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
