export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Reads an SSE response to its end (or until `stopAfter` messages), parsing each message. */
export async function readSse(url: string, options: { headers?: Record<string, string>; init?: RequestInit; onOpen?: () => void } = {}): Promise<{ status: number; messages: SseMessage[] }> {
  const response = await fetch(url, { ...options.init, headers: { accept: "text/event-stream", ...options.headers } });
  if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
    return { status: response.status, messages: [] };
  }
  options.onOpen?.();
  const messages: SseMessage[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes as Uint8Array, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const message: SseMessage = { data: "" };
      let hasData = false;
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") message.id = value;
        else if (field === "event") message.event = value;
        else if (field === "data") {
          message.data = hasData ? `${message.data}\n${value}` : value;
          hasData = true;
        }
      }
      if (hasData) messages.push(message);
    }
  }
  return { status: response.status, messages };
}
