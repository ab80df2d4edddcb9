export interface ModelAgentQueryOptions {
  /** Built-in tools the agent has (e.g. noop). */
  builtInTools?: string[];
}

/**
 * A Model at the mock (e2e-mock), an Agent on it (e2e-agent) and a Query for the agent (e2e-q), as a user writes them
 * for `kubectl apply -f`.
 */
export function modelAgentQuery(mockUrl: string, input: string, options: ModelAgentQueryOptions = {}): string {
  const tools = options.builtInTools?.length ? `\n  tools: [${options.builtInTools.map((name) => `{ type: built-in, name: ${name} }`).join(", ")}]` : "";
  return `apiVersion: ark.mckinsey.com/v1alpha1
kind: Model
metadata: { name: e2e-mock }
spec:
  type: openai
  model: { value: mock-model }
  config:
    openai:
      baseUrl: { value: "${mockUrl}" }
      apiKey: { value: not-a-real-key }
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: { name: e2e-agent }
spec:
  prompt: You answer briefly.
  modelRef: { name: e2e-mock }${tools}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Query
metadata: { name: e2e-q }
spec:
  input: ${JSON.stringify(input)}
  target: { type: agent, name: e2e-agent }
`;
}
