/** docs/architecture.md §6: the fixed local ports, by service folder. */
export const ARCHITECTURE_PORTS: Readonly<Record<string, number>> = {
  "localhost-gateway": 8080,
  "ark-api": 8000,
  "ark-apiserver": 6443,
  "ark-api-a2a": 7184,
  "ark-mcp": 2627,
  "ark-controller": 8081,
  "filesys-mcp": 9090,
  "evaluator-llm": 8001,
  "postgres-memory": 8002,
  "executor-langchain": 8003,
  "ark-dashboard": 3000,
};
