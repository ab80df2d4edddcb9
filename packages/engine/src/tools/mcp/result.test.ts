import { describe, expect, it } from "vitest";
import { resultText } from "./result.js";

describe("resultText", () => {
  it("joins text items and describes audio and blob resources by size", () => {
    const text = resultText({
      content: [
        { type: "text", text: "one" },
        { type: "text", text: "two" },
        { type: "audio", data: "AAAA", mimeType: "audio/wav" },
        { type: "resource", resource: { uri: "file:///b.bin", blob: "AAE=" } },
      ],
    });
    expect(text.split("\n").slice(0, 2)).toEqual(["one", "two"]);
    expect(text).toContain('"data": "<3 bytes, base64, omitted>"');
    expect(text).toContain('"blob": "<2 bytes, base64, omitted>"');
    expect(text).not.toContain("AAAA");
  });

  it("falls back to structuredContent when there is no content", () => {
    expect(resultText({ content: [], structuredContent: { sum: 3 } })).toBe('{"sum":3}');
    expect(resultText({ content: [] })).toBe("");
  });
});
