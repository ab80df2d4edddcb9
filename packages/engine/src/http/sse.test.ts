import { describe, expect, it } from "vitest";
import { SseDecoder } from "./sse.js";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("SseDecoder", () => {
  it("reassembles events split mid-line and mid-character", () => {
    const all = bytes('data: {"c":"é🌍"}\r\n\r\n: comment\ndata: a\ndata: b\n\ndata: [DONE]\n\n');
    const decoder = new SseDecoder();
    const events: string[] = [];
    for (const byte of all) events.push(...decoder.push(Uint8Array.of(byte)));
    events.push(...decoder.end());
    expect(events).toEqual(['{"c":"é🌍"}', "a\nb", "[DONE]"]);
  });

  it("treats a CR split from its LF as one line end and flushes an unterminated event", () => {
    const decoder = new SseDecoder();
    expect(decoder.push(bytes("data: x\r"))).toEqual([]);
    expect(decoder.push(bytes("\n\r\ndata: y"))).toEqual(["x"]);
    expect(decoder.end()).toEqual(["y"]);
  });
});
