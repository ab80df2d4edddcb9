import { toolKind } from "@ark/types";
import { wrappedDto } from "./wrapped-dto.js";

export const toolDto = wrappedDto(toolKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  description: obj.spec.description ?? obj.metadata.annotations?.description,
  type: obj.spec.type,
  // The MCP hints (spec.annotations), apart from the metadata annotations upstream's view already calls `annotations`.
  ...(obj.spec.annotations ? { toolAnnotations: obj.spec.annotations } : {}),
  labels: obj.metadata.labels ?? {},
  annotations: obj.metadata.annotations ?? {},
}));
