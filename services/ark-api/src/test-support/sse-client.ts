import { readServerSentEvents, type ServerSentEvent } from "@ark/types";

/** Reads an SSE response to its end, parsing each message. */
export async function readSse(url: string, options: { headers?: Record<string, string>; init?: RequestInit; onOpen?: () => void } = {}): Promise<{ status: number; messages: ServerSentEvent[] }> {
  const response = await fetch(url, { ...options.init, headers: { accept: "text/event-stream", ...options.headers } });
  if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
    return { status: response.status, messages: [] };
  }
  options.onOpen?.();
  const messages: ServerSentEvent[] = [];
  for await (const message of readServerSentEvents(response.body)) messages.push(message);
  return { status: response.status, messages };
}
