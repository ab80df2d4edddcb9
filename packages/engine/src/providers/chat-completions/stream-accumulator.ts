import { EngineError } from "../../errors.js";
import type { AssistantMessage, ToolCall } from "../../messages.js";
import { type TokenCount, usageFromWire, zeroUsage } from "../../usage.js";
import type { ChatResult } from "../provider.js";

interface WireToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface WireChunk {
  choices?: { delta?: { content?: string | null; tool_calls?: WireToolCallDelta[] }; finish_reason?: string | null }[];
  usage?: unknown;
  error?: { message?: string };
}

/** Assembles `chat.completion.chunk` objects into one assistant message, passing content chunks on as they come. */
export class StreamAccumulator {
  private content = "";
  private readonly toolCalls = new Map<number, ToolCall>();
  private usage: TokenCount = zeroUsage();
  private finishReason: string | undefined;
  /** Whether any content reached `onDelta` (a retry would then repeat it). */
  deltasSent = false;

  constructor(
    private readonly where: string,
    private readonly onDelta?: (chunk: string) => void,
  ) {}

  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  accept(chunk: WireChunk): void {
    if (chunk.error) {
      throw new EngineError("PROVIDER_ERROR", `${this.where}: error in stream: ${chunk.error.message ?? "unknown"}`);
    }
    if (chunk.usage) this.usage = usageFromWire(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = choice.delta ?? {};
    if (typeof delta.content === "string" && delta.content !== "") {
      this.content += delta.content;
      if (this.onDelta) {
        this.deltasSent = true;
        this.onDelta(delta.content);
      }
    }
    for (const part of delta.tool_calls ?? []) this.acceptToolCall(part);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  result(): ChatResult {
    const message: AssistantMessage = {
      role: "assistant",
      content: this.content === "" && this.toolCalls.size > 0 ? null : this.content,
    };
    const calls = [...this.toolCalls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    if (calls.length > 0) message.tool_calls = calls;
    return { message, usage: this.usage, finishReason: this.finishReason ?? "stop" };
  }

  private acceptToolCall(part: WireToolCallDelta): void {
    const index = part.index ?? this.toolCalls.size;
    let call = this.toolCalls.get(index);
    if (!call) {
      call = { id: part.id ?? "", type: "function", function: { name: "", arguments: "" } };
      this.toolCalls.set(index, call);
    }
    if (part.id) call.id = part.id;
    // Some servers repeat the name on every chunk; it is never split.
    if (part.function?.name && !call.function.name) call.function.name = part.function.name;
    if (part.function?.arguments) call.function.arguments += part.function.arguments;
  }
}
