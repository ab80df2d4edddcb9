import { contextEmitter } from "../events/emit.js";
import { chatWithEvents } from "../events/llm-call.js";
import type { AssistantMessage } from "../messages.js";
import { targetNotFound, type TargetRunner } from "./target-run.js";
import { modelProviderFor } from "./model-provider.js";

/** Target type model (docs/upstream-compat.md §6.7.3): history and the input, no system prompt, no tools. */
export const runModelTarget: TargetRunner = async (request) => {
  const { namespace, target, input, history, stream, signal } = request;
  const model = await request.resolver.getModel(namespace, target.name);
  if (!model) throw targetNotFound(request);
  const provider = await modelProviderFor(model, request);
  const emit = contextEmitter(request.emit, { target });
  const messages = [...(history ?? []), { role: "user" as const, content: input }];
  const result = await chatWithEvents(provider, { messages, stream, signal }, emit, `model ${namespace}/${target.name}`);
  const answer: AssistantMessage = { role: "assistant", content: result.message.content ?? "" };
  return { content: answer.content ?? "", messages: [answer] };
};
