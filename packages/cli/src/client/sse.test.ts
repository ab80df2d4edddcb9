import { describe, expect, it } from "vitest";
import { readSse } from "./sse.js";

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function collect(body: AsyncIterable<Uint8Array>) {
  const messages = [];
  for await (const message of readSse(body)) messages.push(message);
  return messages;
}

describe("readSse", () => {
  it("reassembles messages split across chunks and drops keep-alive comments", async () => {
    const messages = await collect(chunks("id: 1\nevent: query.st", 'arted\ndata: {"a":1}\n\n: keep-alive\n\n', "id: 2\r\nevent: end\r\ndata: {}\r\n\r\n"));
    expect(messages).toEqual([
      { id: "1", event: "query.started", data: '{"a":1}' },
      { id: "2", event: "end", data: "{}" },
    ]);
  });

  it("joins multi-line data and defaults the event to message", async () => {
    expect(await collect(chunks("data: one\ndata: two\n\n"))).toEqual([{ event: "message", data: "one\ntwo" }]);
  });
});
