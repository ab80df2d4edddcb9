import { describe, expect, it } from "vitest";
import { readServerSentEvents, type ServerSentEvent } from "./server-sent-events.js";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? bytes(part) : part;
}

async function collect(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(body, signal)) events.push(event);
  return events;
}

describe("readServerSentEvents", () => {
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ])("reads events whose lines end in %s", async (_, eol) => {
    const stream = ["event: query.started", "data: {}", "", "data: two", ""].map((line) => line + eol).join("");
    expect(await collect(chunks(stream))).toEqual([
      { event: "query.started", data: "{}" },
      { event: "message", data: "two" },
    ]);
  });

  it("joins multi-line data with LF and drops comments (heartbeats)", async () => {
    expect(await collect(chunks(": keep-alive\n\ndata: one\r\n: in between\r\ndata: two\r\n\r\n:\n\n"))).toEqual([{ event: "message", data: "one\ntwo" }]);
  });

  it("reassembles a line split mid-line and a character split mid-UTF-8 sequence", async () => {
    const all = bytes('data: {"c":"é🌍"}\r\n\r\nevent: end\ndata: x\n\n');
    // One byte per chunk splits every line, the CR from its LF and each multi-byte character.
    const single = Array.from(all, (byte) => Uint8Array.of(byte));
    expect(await collect(chunks(...single))).toEqual([
      { event: "message", data: '{"c":"é🌍"}' },
      { event: "end", data: "x" },
    ]);
  });

  it("gives each event its own id, and an event without data is none", async () => {
    expect(await collect(chunks("id: 1\nevent: a\ndata: x\n\nevent: nothing\n\ndata: y\n\nid: 3\ndata\n\n"))).toEqual([
      { id: "1", event: "a", data: "x" },
      { event: "message", data: "y" },
      { id: "3", event: "message", data: "" },
    ]);
  });

  it("still yields the event the stream ended inside, even after a lone CR", async () => {
    expect(await collect(chunks("data: x\r", "\n\r\ndata: y"))).toEqual([
      { event: "message", data: "x" },
      { event: "message", data: "y" },
    ]);
  });

  it("reads a fetch body (ReadableStream), and a break cancels it", async () => {
    const response = new Response("data: 1\n\ndata: 2\n\n");
    expect(await collect(response.body!)).toEqual([
      { event: "message", data: "1" },
      { event: "message", data: "2" },
    ]);
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(bytes("data: again\n\n")),
      cancel: () => {
        cancelled = true;
      },
    });
    for await (const event of readServerSentEvents(endless)) {
      expect(event.data).toBe("again");
      break;
    }
    expect(cancelled).toBe(true);
  });

  it("ends quietly, cancelling the stream, when the signal aborts", async () => {
    const abort = new AbortController();
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(bytes("data: first\n\n")),
      cancel: () => {
        cancelled = true;
      },
    });
    const seen: string[] = [];
    for await (const event of readServerSentEvents(stream, abort.signal)) {
      seen.push(event.data);
      abort.abort();
    }
    expect(seen).toEqual(["first"]);
    expect(cancelled).toBe(true);
  });

  it("passes on an error of the stream when no abort caused it", async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield bytes("data: a\n\n");
      throw new Error("socket hang up");
    }
    await expect(collect(broken())).rejects.toThrow("socket hang up");
  });
});
