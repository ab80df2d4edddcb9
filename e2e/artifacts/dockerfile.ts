import { readFileSync } from "node:fs";

export interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** A Dockerfile's instructions (continuations joined, comments dropped), each tagged with its stage index. */
export function readDockerfile(path: string): Instruction[] {
  const text = readFileSync(path, "utf8").replace(/\\\r?\n/g, " ");
  const instructions: Instruction[] = [];
  let stage = -1;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const op = match[1]!.toUpperCase();
    if (op === "FROM") stage++;
    instructions.push({ op, args: match[2]!.replace(/\s+/g, " ").trim(), stage });
  }
  return instructions;
}

/** COPY sources from the build context (not `--from=` stages), and where each goes. */
export function contextCopies(instructions: Instruction[]): { sources: string[]; dest: string }[] {
  return instructions
    .filter((i) => i.op === "COPY" && !/--from=/.test(i.args))
    .map((i) => {
      const parts = i.args.split(" ").filter((part) => !part.startsWith("--"));
      return { sources: parts.slice(0, -1), dest: parts.at(-1)! };
    });
}

export function lastStage(instructions: Instruction[]): Instruction[] {
  const last = Math.max(...instructions.map((i) => i.stage));
  return instructions.filter((i) => i.stage === last);
}

/** ENV values of the given instructions: `ENV A=1 B=2` (the `ENV A 1` form is not used here). */
export function envOf(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.op === "ENV")) {
    for (const [, key, value] of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[key!] = value!.replace(/^"|"$/g, "");
  }
  return env;
}

/** The package names given to `--filter` / `--filter-prod` in RUN lines, with the `...` suffix dropped. */
export function filteredPackages(instructions: Instruction[]): string[] {
  const names = new Set<string>();
  for (const i of instructions.filter((x) => x.op === "RUN")) {
    for (const [, name] of i.args.matchAll(/--filter(?:-prod)?[ =]"?([^"\s]+?)(?:\.\.\.)?"?(?=\s|$)/g)) names.add(name!);
  }
  return [...names];
}

/** The instructions with each ARG's `${NAME}` / `$NAME` replaced by the build arg given, else the ARG's default, else "". */
export function withBuildArgs(instructions: Instruction[], args: Record<string, string>): Instruction[] {
  const values = new Map<string, string>();
  for (const i of instructions.filter((x) => x.op === "ARG")) {
    const [, name, value] = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(i.args) ?? [];
    if (name) values.set(name, args[name] ?? value?.replace(/^"|"$/g, "") ?? "");
  }
  const substitute = (text: string) => text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => values.get((braced ?? bare)!) ?? whole);
  return instructions.map((i) => (i.op === "ARG" ? i : { ...i, args: substitute(i.args) }));
}
