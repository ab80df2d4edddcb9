import { describe, expect, it } from "vitest";
import { formatFieldError } from "./kinds/definition.js";
import { validateArkResource } from "./validate.js";
import { loadFixture, nameOf } from "./fixtures/load.js";

const EXPECT_ANNOTATION = "test.ark/expect";

function expectationOf(doc: Record<string, unknown>): { field: string; type: string; detail: string } {
  const annotations = (doc.metadata as { annotations?: Record<string, string> }).annotations ?? {};
  const [field = "", type = "", detail = ""] = (annotations[EXPECT_ANNOTATION] ?? "").split(" | ");
  return { field, type, detail: detail.trim() };
}

const invalidManifests = loadFixture("invalid-manifests.yaml");

describe("invalid manifests are rejected with the expected field error", () => {
  it("has a broad table", () => {
    expect(invalidManifests.length).toBeGreaterThanOrEqual(45);
  });

  it.each(invalidManifests.map((doc) => [nameOf(doc), doc] as const))("%s", (_name, doc) => {
    const expected = expectationOf(doc);
    expect(expected.field, "fixture lacks a test.ark/expect annotation").not.toBe("");
    const result = validateArkResource(doc, { fieldValidation: "Strict", operation: "create" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const match = result.errors.find((e) => e.field === expected.field && e.type === expected.type && e.detail.includes(expected.detail));
    expect(match, `got:\n${result.errors.map(formatFieldError).join("\n")}`).toBeDefined();
  });
});
