/**
 * The `§N` citations in a text, each with the docs/ page written just before it (undefined when none is); in a list
 * (`docs/x.md \u00a73, \u00a77`, written with the sign) the later sections take the page of the first.
 */
export function sectionCitations(text: string): { page: string | undefined; section: string }[] {
  const citations: { page: string | undefined; section: string }[] = [];
  let previousEnd = -1;
  for (const m of text.matchAll(/(?:(docs\/[\w./-]+\.md) )?§(\d+(?:\.\d+)*)/g)) {
    const listed = !m[1] && citations.length > 0 && /^(?:, | and )$/.test(text.slice(previousEnd, m.index));
    citations.push({ page: m[1] ?? (listed ? citations.at(-1)!.page : undefined), section: m[2]! });
    previousEnd = m.index + m[0].length;
  }
  return citations;
}

/** A page's section numbers: headings `## 6.` / `### 6.7.3 …`, and the items of a numbered list under a heading (`7.` → `7.1`, `7.2`). */
export function sectionsOf(markdown: string): Set<string> {
  const sections = new Set<string>();
  let current: string | undefined;
  for (const line of markdown.split("\n")) {
    const heading = /^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/.exec(line);
    if (heading) {
      current = heading[1]!;
      sections.add(current);
      continue;
    }
    if (/^#{1,6}\s/.test(line)) current = undefined;
    const item = /^(\d+)\.\s/.exec(line);
    if (item && current) sections.add(`${current}.${item[1]}`);
  }
  return sections;
}
