import { agentKind, AVAILABLE_CONDITION } from "@ark/types";
import { flatDto } from "./flat-dto.js";
import { condition, type AnyArkObject } from "./kind-dto.js";

const SKILLS_ANNOTATION = /^a2a\..*\/skills$/;
const A2A_ADDRESS_ANNOTATION = "a2a.server/address";

export const agentDto = flatDto(
  agentKind,
  (obj) => ({
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    description: obj.spec.description,
    model_ref: (obj.spec.modelRef as { name?: string } | undefined)?.name,
    prompt: obj.spec.prompt,
    status: readyStatus(obj),
  }),
  (obj) => ({ skills: skillsOf(obj), isA2A: obj.metadata.annotations?.[A2A_ADDRESS_ANNOTATION] !== undefined }),
);

export function readyStatus(obj: AnyArkObject): string | null {
  const ready = condition(obj, AVAILABLE_CONDITION);
  if (!ready) return null;
  return ready.status === "True" ? "ready" : "not ready";
}

function skillsOf(obj: AnyArkObject): unknown[] {
  const entry = Object.entries(obj.metadata.annotations ?? {}).find(([key]) => SKILLS_ANNOTATION.test(key));
  if (!entry) return [];
  try {
    const parsed: unknown = JSON.parse(entry[1]);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
