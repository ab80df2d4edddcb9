import type { ConfigValueReader, ValueSourceResolver } from "@ark/engine";
import type { Query } from "@ark/kube";
import { queryTargets } from "@ark/types";
import { agentReferenceProblems } from "./agent-references.js";
import type { ResourceLookup } from "./lookup.js";
import { modelConfigProblem } from "./model-config-problems.js";
import { agentModelRef, describeAgent } from "./names.js";
import { parameterProblem } from "./parameter-problems.js";
import { referenceGrantProblem, toolServerProblem } from "./reference-grants.js";

/** How the reconciler reads Secrets and ConfigMaps (its caches). */
export interface ValueReaders {
  resolveValueSource: ValueSourceResolver;
  configValues: ConfigValueReader;
}
import { teamReferenceProblems } from "./team-references.js";

/**
 * Targets that do not exist, and what the existing ones refer to that does not (down to an agent's model's
 * Secrets), one message each: a query that cannot run says why before it is enqueued.
 */
export async function queryReferenceProblems(query: Query, lookup: ResourceLookup, values: ValueReaders): Promise<string[]> {
  const namespace = query.metadata.namespace ?? "";
  const where = `query ${namespace}/${query.metadata.name ?? ""}`;
  const problems: string[] = [];
  const inputProblem = await parameterProblem(query.spec.parameters, namespace, values.configValues, `${where}: spec.parameters`);
  if (inputProblem) problems.push(inputProblem);
  // spec.memory must exist (the Memory named default is used only when it does, so it is no reference).
  const memory = query.spec.memory;
  if (memory) {
    const memoryNamespace = memory.namespace || namespace;
    const refused = await referenceGrantProblem(lookup, { from: { kind: "Query", namespace }, to: { kind: "Memory", namespace: memoryNamespace, name: memory.name } });
    if (refused) problems.push(`${where}: spec.memory: ${refused}`);
    else if (!(await lookup.memory(memoryNamespace, memory.name))) {
      problems.push(`${where}: spec.memory: memory "${memory.name}" not found in namespace ${memoryNamespace}`);
    }
  }
  // What an Agent parameter's queryParameterRef may name: the query's parameters (values are checked above).
  const givenParameters = Object.fromEntries((query.spec.parameters ?? []).map((p) => [p.name, p.value || "(valueFrom)"]));
  for (const [index, target] of queryTargets(query.spec).entries()) {
    const field = query.spec.target ? "spec.target" : `spec.targets[${index}]`;
    const missing = `${where}: ${field}: ${target.type} "${target.name}" not found in namespace ${namespace}`;
    if (target.type === "agent") {
      const agent = await lookup.agent(namespace, target.name);
      if (!agent) {
        problems.push(missing);
        continue;
      }
      const agentProblems = await agentReferenceProblems(agent, lookup);
      problems.push(...agentProblems);
      const ref = agentModelRef(agent);
      const model = agentProblems.length === 0 ? await lookup.model(ref.namespace, ref.name) : undefined;
      const modelProblem = model && (await modelConfigProblem(model, values.resolveValueSource));
      if (modelProblem) problems.push(`${describeAgent(agent)}: ${modelProblem}`);
      const promptProblem = await parameterProblem(agent.spec.parameters, namespace, values.configValues, `${describeAgent(agent)}: spec.parameters`, givenParameters);
      if (promptProblem) problems.push(promptProblem);
    } else if (target.type === "team") {
      const team = await lookup.team(namespace, target.name);
      problems.push(...(team ? await teamReferenceProblems(team, lookup) : [missing]));
    } else if (target.type === "model") {
      const model = await lookup.model(namespace, target.name);
      const configProblem = model && (await modelConfigProblem(model, values.resolveValueSource));
      if (!model || configProblem) problems.push(configProblem || missing);
    } else {
      const tool = await lookup.tool(namespace, target.name);
      const refused = tool && (await toolServerProblem(tool, lookup));
      if (!tool || refused) problems.push(refused || missing);
    }
  }
  return problems;
}
