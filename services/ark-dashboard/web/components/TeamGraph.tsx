export interface TeamMember {
  name: string;
  type: string;
}

export interface TeamGraphProps {
  members: readonly TeamMember[];
  strategy: string;
  edges?: ReadonlyArray<{ from: string; to: string }> | undefined;
}

/** The hand-offs a team's strategy allows: graph edges as written, otherwise the members' order. */
function teamEdges({ members, strategy, edges }: TeamGraphProps): Array<{ from: string; to: string }> {
  if (strategy === "graph") return [...(edges ?? [])];
  if (strategy === "selector") return [];
  const chain = members.slice(1).map((member, i) => ({ from: members[i]!.name, to: member.name }));
  if (strategy === "round-robin" && members.length > 1) chain.push({ from: members.at(-1)!.name, to: members[0]!.name });
  return chain;
}

const WIDTH = 560;
const NODE_W = 120;
const NODE_H = 36;

/** Members as boxes on a circle, allowed hand-offs as arrows (SVG). */
export function TeamGraph(props: TeamGraphProps) {
  const { members, strategy } = props;
  if (members.length === 0) return <p className="muted">This team has no members: add agents or teams to spec.members.</p>;
  const height = members.length <= 2 ? 140 : 320;
  const cx = WIDTH / 2;
  const cy = height / 2;
  const rx = members.length <= 2 ? 150 : WIDTH / 2 - NODE_W / 2 - 10;
  const ry = members.length <= 2 ? 0 : height / 2 - NODE_H / 2 - 10;
  const position = new Map(
    members.map((member, i) => {
      const angle = members.length === 1 ? -Math.PI / 2 : (2 * Math.PI * i) / members.length - Math.PI / 2;
      const x = members.length === 1 ? cx : cx + rx * Math.cos(members.length <= 2 ? Math.PI + Math.PI * i : angle);
      const y = members.length === 1 ? cy : cy + ry * Math.sin(angle);
      return [member.name, { x, y }] as const;
    }),
  );
  const edges = teamEdges(props).filter((edge) => position.has(edge.from) && position.has(edge.to));
  return (
    <figure className="team-graph">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`Team members (${strategy})`} width="100%" style={{ maxWidth: WIDTH }}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="edge-head" />
          </marker>
        </defs>
        {edges.map((edge) => {
          const from = position.get(edge.from)!;
          const to = position.get(edge.to)!;
          const [x1, y1] = clip(from, to);
          const [x2, y2] = clip(to, from);
          return <line key={`${edge.from}->${edge.to}`} className="edge" data-from={edge.from} data-to={edge.to} x1={x1} y1={y1} x2={x2} y2={y2} markerEnd="url(#arrow)" />;
        })}
        {members.map((member) => {
          const { x, y } = position.get(member.name)!;
          return (
            <g key={member.name} className={`node ${member.type}`} data-member={member.name} transform={`translate(${x - NODE_W / 2}, ${y - NODE_H / 2})`}>
              <rect width={NODE_W} height={NODE_H} rx={8} />
              <text x={NODE_W / 2} y={NODE_H / 2 + 5} textAnchor="middle">
                {member.name.length > 14 ? `${member.name.slice(0, 13)}…` : member.name}
              </text>
              <title>{`${member.type}/${member.name}`}</title>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">{strategy === "selector" ? "A selector model picks the next member each turn." : `${strategy}: ${edges.length} hand-off${edges.length === 1 ? "" : "s"}`}</figcaption>
    </figure>
  );
}

/** Where the line from a's centre towards b leaves a's box. */
function clip(a: { x: number; y: number }, b: { x: number; y: number }): [number, number] {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const scale = Math.min(dx === 0 ? Infinity : NODE_W / 2 / Math.abs(dx), dy === 0 ? Infinity : NODE_H / 2 / Math.abs(dy));
  return [a.x + dx * scale, a.y + dy * scale];
}
