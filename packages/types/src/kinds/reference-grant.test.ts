import { describe, expect, it } from "vitest";
import { validateArkResource } from "../validate.js";
import { referenceGrantAllows, referenceNotGrantedMessage, type CrossNamespaceReference } from "./reference-grant.js";

const modelRef: CrossNamespaceReference = { from: { kind: "Agent", namespace: "team-a" }, to: { kind: "Model", namespace: "team-b", name: "gpt" } };
const grant = (from: { kind: string; namespace: string }[], to: { kind: string; name?: string }[]) => ({ spec: { from, to } });

describe("referenceGrantAllows", () => {
  it("needs no grant within a namespace", () => {
    expect(referenceGrantAllows([], { ...modelRef, to: { ...modelRef.to, namespace: "team-a" } })).toBe(true);
  });

  it("refuses another namespace without a matching grant", () => {
    expect(referenceGrantAllows([], modelRef)).toBe(false);
    expect(referenceGrantAllows([grant([{ kind: "Agent", namespace: "team-c" }], [{ kind: "Model" }])], modelRef)).toBe(false);
    expect(referenceGrantAllows([grant([{ kind: "Query", namespace: "team-a" }], [{ kind: "Model" }])], modelRef)).toBe(false);
    expect(referenceGrantAllows([grant([{ kind: "Agent", namespace: "team-a" }], [{ kind: "Memory" }])], modelRef)).toBe(false);
    expect(referenceGrantAllows([grant([{ kind: "Agent", namespace: "team-a" }], [{ kind: "Model", name: "other" }])], modelRef)).toBe(false);
  });

  it("allows what a grant names: the kind, or one resource of it", () => {
    expect(referenceGrantAllows([grant([{ kind: "Agent", namespace: "team-a" }], [{ kind: "Model" }])], modelRef)).toBe(true);
    expect(
      referenceGrantAllows(
        [
          grant(
            [
              { kind: "Tool", namespace: "x" },
              { kind: "Agent", namespace: "team-a" },
            ],
            [{ kind: "Model", name: "gpt" }],
          ),
        ],
        modelRef,
      ),
    ).toBe(true);
  });

  it("names both namespaces and the grant to write", () => {
    expect(referenceNotGrantedMessage(modelRef)).toBe(
      'Model "gpt" in namespace team-b is not granted to Agent in namespace team-a (a ReferenceGrant in namespace team-b must allow from {kind: Agent, namespace: team-a} to {kind: Model})',
    );
  });
});

describe("ReferenceGrant admission", () => {
  const manifest = (spec: unknown) => ({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "ReferenceGrant", metadata: { name: "g", namespace: "team-b" }, spec });

  it("accepts a grant of a supported kind", () => {
    expect(validateArkResource(manifest({ from: [{ kind: "Agent", namespace: "team-a" }], to: [{ kind: "Model", name: "gpt" }] }))).toMatchObject({ ok: true, warnings: [] });
  });

  it("names the field of an unsupported kind or an empty list", () => {
    const fields = (spec: unknown) => {
      const result = validateArkResource(manifest(spec));
      return result.ok ? [] : result.errors.map((e) => e.field);
    };
    expect(fields({ from: [{ kind: "Secret", namespace: "team-a" }], to: [{ kind: "Secret" }] })).toEqual(["spec.from[0].kind", "spec.to[0].kind"]);
    expect(fields({ from: [], to: [{ kind: "Model" }] })).toEqual(["spec.from"]);
  });
});
