import { teamKind } from "@ark/types";
import { readyStatus } from "./agent.js";
import { flatDto } from "./flat-dto.js";

export const teamDto = flatDto(teamKind, (obj) => ({
  name: obj.metadata.name,
  namespace: obj.metadata.namespace,
  description: obj.spec.description,
  strategy: obj.spec.strategy,
  members_count: Array.isArray(obj.spec.members) ? obj.spec.members.length : 0,
  status: readyStatus(obj),
}));
