import { memoryKind } from "@ark/types";
import { flatDto } from "./flat-dto.js";

export const memoryDto = flatDto(memoryKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  address: obj.status?.lastResolvedAddress,
  status: obj.status?.phase ?? null,
}));
