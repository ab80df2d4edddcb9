import type { Agent, ReferenceGrant } from "@ark/kube";
import { describe, expect, it } from "vitest";
import { agentReferenceProblems } from "./agent-references.js";
import type { ResourceLookup } from "./lookup.js";

/** A lookup where every Model and Tool exists and `grants` are the ReferenceGrants of namespace `owner`. */
function lookupWith(grants: ReferenceGrant["spec"][]): ResourceLookup {
  const found = async () => ({}) as never;
  return {
    agent: found,
    team: found,
    model: found,
    tool: found,
    memory: found,
    referenceGrants: async (namespace) => (namespace === "owner" ? grants.map((spec) => ({ metadata: { namespace }, spec }) as ReferenceGrant) : []),
  };
}

const agent = (spec: Agent["spec"]): Agent => ({ metadata: { namespace: "tenant", name: "a" }, spec }) as Agent;

describe("an agent's references into another namespace", () => {
  it("an execution engine there is refused without a grant, allowed with one", async () => {
    const engineElsewhere = agent({ executionEngine: { name: "langchain", namespace: "owner" } });
    expect(await agentReferenceProblems(engineElsewhere, lookupWith([]))).toEqual([
      'agent tenant/a: spec.executionEngine: ExecutionEngine "langchain" in namespace owner is not granted to Agent in namespace tenant ' +
        "(a ReferenceGrant in namespace owner must allow from {kind: Agent, namespace: tenant} to {kind: ExecutionEngine})",
    ]);
    const granted = lookupWith([{ from: [{ kind: "Agent", namespace: "tenant" }], to: [{ kind: "ExecutionEngine" }] }]);
    expect(await agentReferenceProblems(engineElsewhere, granted)).toEqual([]);
  });

  it("a model there is refused before it is looked up, so the message is the same whether it exists or not", async () => {
    const looked: string[] = [];
    const lookup = { ...lookupWith([]), model: async (namespace: string, name: string) => (looked.push(`${namespace}/${name}`), undefined) };
    const problems = await agentReferenceProblems(agent({ modelRef: { name: "gpt", namespace: "owner" } }), lookup);
    expect(problems).toEqual([expect.stringContaining('Model "gpt" in namespace owner is not granted to Agent in namespace tenant')]);
    expect(looked).toEqual([]);
  });
});
