import { z } from "zod";
import { duplicate, forbidden, invalid, required, unsupported } from "../admission/field-errors.js";
import { reconcileStatusShape } from "../shared/condition.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN } from "./common.js";

export const TEAM_STRATEGIES = ["sequential", "round-robin", "selector", "graph"] as const;
export type TeamStrategy = (typeof TEAM_STRATEGIES)[number];
export const TEAM_MEMBER_TYPES = ["agent", "team"] as const;

export const TeamMember = z.object({
  name: z.string().min(1),
  type: z.string().describe("agent or team."),
});
export type TeamMember = z.output<typeof TeamMember>;

export const GraphEdge = z.object({
  from: z.string().describe("Member name the turn passes from."),
  to: z.string().describe("Member name the turn passes to."),
});
export type GraphEdge = z.output<typeof GraphEdge>;

export const TeamSpec = z.object({
  members: z.array(TeamMember).describe("Agents and teams taking part, in order."),
  strategy: z.string().describe("sequential, round-robin, selector or graph."),
  description: z.string().optional().describe("Shown to the selector of a parent team."),
  loops: z.boolean().optional().describe("sequential only: cycle through the members again and again (rounds, as round-robin) until terminate or maxTurns rounds."),
  maxTurns: z.int().min(1).optional().describe("Turn limit for round-robin, looping sequential, selector and graph; reaching it ends the team normally."),
  selector: z
    .object({
      agent: z.string().optional().describe("Agent in the team's namespace that picks the next member (its model, prompt and tools); replaces selector.model."),
      model: z.string().optional().describe("Model name in the team's namespace (the older form; default when neither agent nor model is set)."),
      selectorPrompt: z.string().optional().describe("Go template over .Roles, .Participants and .History."),
      enableTerminateTool: z.boolean().optional().describe("Give the selector the terminate tool: calling it ends the team."),
      terminatePrompt: z.string().optional().describe("Added to the selector prompt when the terminate tool is enabled: when to end the team."),
    })
    .optional(),
  graph: z
    .object({ edges: z.array(GraphEdge) })
    .optional()
    .describe("Allowed hand-offs for the graph strategy; at most one outgoing edge per member."),
});
export type TeamSpec = z.output<typeof TeamSpec>;

export const TeamStatus = z.object({ ...reconcileStatusShape });
export type TeamStatus = z.output<typeof TeamStatus>;

function checkStrategy(spec: TeamSpec): FieldError[] {
  if (!(TEAM_STRATEGIES as readonly string[]).includes(spec.strategy)) {
    return [unsupported("spec.strategy", spec.strategy, `unsupported strategy '${spec.strategy}': must be 'sequential', 'round-robin', 'selector', or 'graph'`)];
  }
  if (spec.strategy !== "graph") return [];
  if (!spec.graph) return [required("spec.graph", "graph strategy requires graph configuration")];
  if (spec.graph.edges.length === 0) return [required("spec.graph.edges", "graph strategy requires at least one edge")];
  const memberNames = new Set(spec.members.map((m) => m.name));
  const errors: FieldError[] = [];
  const withOutgoing = new Set<string>();
  spec.graph.edges.forEach((edge, i) => {
    for (const end of ["from", "to"] as const) {
      if (!memberNames.has(edge[end])) {
        errors.push(invalid(`spec.graph.edges[${i}].${end}`, edge[end], `graph edge ${i}: '${end}' member '${edge[end]}' not found in team members`));
      }
    }
    if (withOutgoing.has(edge.from)) {
      errors.push(duplicate(`spec.graph.edges[${i}].from`, edge.from, `member '${edge.from}' has more than one outgoing edge`));
    }
    withOutgoing.add(edge.from);
  });
  return errors;
}

function checkMembers(spec: TeamSpec, teamName: string | undefined): FieldError[] {
  if (spec.members.length === 0) return [required("spec.members", "a team needs at least one member")];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  spec.members.forEach((member, i) => {
    const at = `spec.members[${i}]`;
    if (member.type === "team" && member.name === teamName) {
      errors.push(forbidden(`${at}.name`, `team member ${i}: team '${member.name}' cannot reference itself`));
    }
    if (!(TEAM_MEMBER_TYPES as readonly string[]).includes(member.type)) {
      errors.push(unsupported(`${at}.type`, member.type, `team member ${i} has invalid type '${member.type}': must be 'agent' or 'team'`));
    }
    if (seen.has(member.name)) errors.push(duplicate(`${at}.name`, member.name, `team member ${i}: '${member.name}' is listed more than once`));
    seen.add(member.name);
  });
  return errors;
}

function checkSelector(spec: TeamSpec): FieldError[] {
  const selector = spec.selector;
  if (selector?.agent !== undefined && selector.agent.trim() === "") return [required("spec.selector.agent", "selector agent name cannot be empty")];
  if (selector?.agent && selector.model) {
    return [forbidden("spec.selector.model", `selector.model cannot be set with selector.agent '${selector.agent}': the agent's own model picks the next member`)];
  }
  return [];
}

export function admitTeam(spec: TeamSpec, teamName: string | undefined): FieldError[] {
  return [...checkStrategy(spec), ...checkMembers(spec, teamName), ...checkSelector(spec)];
}

export const teamKind: KindDefinition<typeof TeamSpec, typeof TeamStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "Team",
  listKind: "TeamList",
  plural: "teams",
  singular: "team",
  spec: TeamSpec,
  status: TeamStatus,
  printerColumns: [AGE_COLUMN],
  admit: ({ metadata, spec }) => admitTeam(spec, metadata.name),
};
