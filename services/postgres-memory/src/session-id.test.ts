import { describe, expect, it } from "vitest";
import { isValidSessionId, parseSessionId } from "./session-id.js";

describe("session ids", () => {
  it.each(["0b6f2c1e-8a4d-4e9b-9f3a-2d1c5e7a9b10", "user-42", "tenant_a.chat:7", "alice@example.com", "x".repeat(255), "a..b"])("accepts %s", (id) => expect(isValidSessionId(id)).toBe(true));

  it.each(["", "x".repeat(256), "a/b", "a b", "a+b", "a%2Fb", "ü", ".", "..", "a\nb"])("rejects %j", (id) => {
    expect(isValidSessionId(id)).toBe(false);
  });

  it("rejects with 400 Invalid session ID naming the rule", () => {
    expect(() => parseSessionId("a/b")).toThrow(/^Invalid session ID "a\/b": a session ID is 1-255 characters from A-Z a-z 0-9 _ - \. : @/);
  });
});
