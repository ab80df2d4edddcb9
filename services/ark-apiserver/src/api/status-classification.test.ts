import { classifyError } from "@ark/types";
import { describe, expect, it } from "vitest";
import { statusErrors } from "./status.js";

const agents = { group: "ark.mckinsey.com", plural: "agents", kind: "Agent" };

// docs/architecture.md §10: a Kubernetes Status is a wire answer, not a ClassifiedError; classifyError reads its code.
describe("a Status error as the error taxonomy reads it", () => {
  it("is the caller's when refused, ARK's and retryable when unavailable or overloaded", () => {
    expect(classifyError(statusErrors.forbidden(agents, "a", "no"))).toEqual({ origin: "user", retryable: false, code: "HTTP_403" });
    expect(classifyError(statusErrors.invalid(agents, "a", ["spec: bad"], []))).toEqual({ origin: "user", retryable: false, code: "HTTP_422" });
    expect(classifyError(statusErrors.unavailable("database down", 1))).toEqual({ origin: "system", retryable: true, code: "HTTP_503" });
    expect(classifyError(statusErrors.tooManyRequests("slow down", 1))).toEqual({ origin: "system", retryable: true, code: "HTTP_429" });
  });
});
