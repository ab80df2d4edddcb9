import type { ChatRequest } from "../provider.js";
import { coerceProperties, DEFAULT_REQUEST_PROPERTIES } from "../properties.js";

/** The JSON body of `POST …/chat/completions` (docs/upstream-compat.md §8.1). */
export function chatCompletionsBody(model: string, modelProperties: Record<string, string>, request: ChatRequest, where: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    messages: request.messages,
    ...DEFAULT_REQUEST_PROPERTIES,
    ...coerceProperties({ ...modelProperties, ...request.properties }, where),
  };
  if (request.tools && request.tools.length > 0) body["tools"] = request.tools;
  if (request.responseFormat) body["response_format"] = request.responseFormat;
  if (request.stream) {
    body["stream"] = true;
    body["stream_options"] = { include_usage: true };
  }
  return body;
}
