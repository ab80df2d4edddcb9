import type { AgentCard, AgentSkill } from "@a2a-js/sdk";
import { z } from "zod";

/** The annotation upstream reads a card's skills from: a JSON list of skills. */
export const SKILLS_ANNOTATION = "a2a.mckinsey.com/skills";

export type ServedKind = "agent" | "team";

/** What a card is built from: the Agent's or Team's name, description and annotations. */
export interface ServedResource {
  kind: ServedKind;
  namespace: string;
  name: string;
  description?: string | undefined;
  annotations?: Record<string, string> | undefined;
}

const SkillAnnotation = z.array(
  z.object({
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    description: z.string().default(""),
    tags: z.array(z.string()).default([]),
    examples: z.array(z.string()).default([]),
  }),
);

function defaultSkill(name: string): AgentSkill {
  return { id: `${name}-default-skill`, name: "General", description: "General agent capabilities", tags: ["general"], examples: [], inputModes: [], outputModes: [], securityRequirements: [] };
}

/** The card's skills from the annotation, or upstream's default skill; `problem` says why the annotation was not used. */
export function skillsOf(resource: ServedResource): { skills: AgentSkill[]; problem?: string } {
  const raw = resource.annotations?.[SKILLS_ANNOTATION];
  if (raw === undefined) return { skills: [defaultSkill(resource.name)] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { skills: [defaultSkill(resource.name)], problem: `annotation ${SKILLS_ANNOTATION} is not JSON: ${(err as Error).message}` };
  }
  const parsed = SkillAnnotation.safeParse(json);
  if (!parsed.success) {
    return { skills: [defaultSkill(resource.name)], problem: `annotation ${SKILLS_ANNOTATION} must be a list of {name, description?, tags?, examples?}: ${z.prettifyError(parsed.error)}` };
  }
  if (parsed.data.length === 0) return { skills: [defaultSkill(resource.name)] };
  return {
    skills: parsed.data.map((skill, index) => ({
      id: skill.id ?? `${resource.name}-skill-${index}`,
      name: skill.name,
      description: skill.description,
      tags: skill.tags,
      examples: skill.examples,
      inputModes: [],
      outputModes: [],
      securityRequirements: [],
    })),
  };
}

/**
 * The A2A card: v1.0 JSON-RPC at the base URL (and 0.3 for older clients, which the SDK renders as the 0.3 card
 * when a client sends no A2A-Version), HTTP+JSON under `rest/`.
 */
export function agentCardOf(resource: ServedResource, baseUrl: string, skills: AgentSkill[]): AgentCard {
  return {
    name: resource.name,
    description: resource.description || "No description",
    supportedInterfaces: [
      { url: baseUrl, protocolBinding: "JSONRPC", protocolVersion: "1.0", tenant: "" },
      { url: `${baseUrl}rest`, protocolBinding: "HTTP+JSON", protocolVersion: "1.0", tenant: "" },
      { url: baseUrl, protocolBinding: "JSONRPC", protocolVersion: "0.3", tenant: "" },
    ],
    provider: undefined,
    version: "1.0.0",
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text"],
    defaultOutputModes: ["text"],
    skills,
    signatures: [],
  };
}
