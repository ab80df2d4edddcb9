import { McpServerConditions, mcpServerKind } from "@ark/types";
import { condition, type AnyArkObject } from "./kind-dto.js";
import { wrappedDto } from "./wrapped-dto.js";

export function serverStatusFields(obj: AnyArkObject) {
  const ready = condition(obj, McpServerConditions.Ready);
  return {
    // MCPServer reports resolvedAddress, A2AServer lastResolvedAddress.
    address: obj.status?.resolvedAddress ?? obj.status?.lastResolvedAddress,
    ready: ready?.status === "True",
    discovering: condition(obj, McpServerConditions.Discovering)?.status === "True",
    status_message: ready && ready.status !== "True" ? ready.message : undefined,
  };
}

export const mcpServerDto = wrappedDto(mcpServerKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  description: obj.spec.description,
  labels: obj.metadata.labels ?? {},
  annotations: obj.metadata.annotations ?? {},
  transport: obj.spec.transport,
  ...serverStatusFields(obj),
  tool_count: obj.status?.toolCount ?? 0,
}));
