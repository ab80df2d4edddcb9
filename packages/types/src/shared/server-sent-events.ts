import { createParser } from "eventsource-parser";

/** One Server-Sent Events message; `event` is "message" when the server names none, as in the browser's EventSource. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Reads a Server-Sent Events byte stream (a fetch body or a Node stream) into messages: CR, LF and CRLF line ends,
 * lines and characters split across chunks, multi-line data and comments (keep-alives, dropped) as the spec says.
 * An event the stream ends in the middle of still counts. With `signal`, the stream is cancelled and the reading ends
 * quietly when it aborts.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const ready: ServerSentEvent[] = [];
  const parser = createParser({
    onEvent: ({ event, data, id }) => ready.push({ event: event ?? "message", data, ...(id === undefined ? {} : { id }) }),
  });
  const text = new TextDecoder("utf-8");
  const chunks = "getReader" in body ? chunksOf(body, signal) : body;
  try {
    for await (const chunk of chunks) {
      if (signal?.aborted) return;
      parser.feed(text.decode(chunk, { stream: true }));
      yield* ready.splice(0);
    }
    if (signal?.aborted) return;
    // Ends the last line and the last event, if the stream stopped inside one.
    parser.feed(`${text.decode()}\n\n`);
    yield* ready.splice(0);
  } catch (err) {
    if (!signal?.aborted) throw err;
  }
}

// Reads with getReader(): browsers without async iteration of ReadableStream (Safari) read this way too.
async function* chunksOf(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let ended = false;
  const cancel = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      yield value;
    }
    ended = true;
  } finally {
    signal?.removeEventListener("abort", cancel);
    // A reader that stops early (a break, an error) lets the server go: the connection is not left open.
    if (!ended) cancel();
    reader.releaseLock();
  }
}
