import type { Command } from "commander";
import { UsageError } from "../errors.js";

const KIND_WORDS = ["agents", "teams", "models", "tools", "queries", "memories", "mcp-servers", "a2a-servers", "execution-engines", "evaluators", "evaluations", "secrets", "namespaces"];
/** Commands whose first argument is a kind. */
const TAKES_KIND = ["get", "delete"];

/** Each top-level command with its subcommands (empty for a leaf), read from the program itself. */
function commandTree(program: Command): [string, string[]][] {
  return program.commands.filter((c) => c.name() !== "help").map((c) => [c.name(), c.commands.map((sub) => sub.name())]);
}

function bash(program: Command): string {
  const tree = commandTree(program);
  const cases = [...tree.filter(([, subs]) => subs.length > 0).map(([name, subs]) => `    ${name}) words="${subs.join(" ")}" ;;`), `    ${TAKES_KIND.join("|")}) words="${KIND_WORDS.join(" ")}" ;;`];
  return `# ark completion for bash: source <(ark completion bash)
_ark() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${tree.map(([name]) => name).join(" ")}" -- "$cur") )
    return
  fi
  [ "$COMP_CWORD" -eq 2 ] || return
  case "\${COMP_WORDS[1]}" in
${cases.join("\n")}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -F _ark ark
`;
}

function zsh(program: Command): string {
  return `#compdef ark
# ark completion for zsh: source <(ark completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(program).split("\n").slice(1).join("\n")}`;
}

function fish(program: Command): string {
  const tree = commandTree(program);
  const lines = [
    "# ark completion for fish: ark completion fish | source",
    "complete -c ark -f",
    ...tree.map(([name]) => `complete -c ark -n "__fish_use_subcommand" -a ${name} -d ${JSON.stringify(program.commands.find((c) => c.name() === name)?.description() ?? "")}`),
    ...tree.filter(([, subs]) => subs.length > 0).map(([name, subs]) => `complete -c ark -n "__fish_seen_subcommand_from ${name}" -a "${subs.join(" ")}"`),
    `complete -c ark -n "__fish_seen_subcommand_from ${TAKES_KIND.join(" ")}" -a "${KIND_WORDS.join(" ")}"`,
  ];
  return `${lines.join("\n")}\n`;
}

const SHELLS: Record<string, (program: Command) => string> = { bash, zsh, fish };

/** `ark completion bash|zsh|fish`: a completion script for the shell, printed to stdout. */
export function registerCompletion(program: Command): void {
  program
    .command("completion")
    .description("print a shell completion script: source <(ark completion bash), zsh alike, ark completion fish | source")
    .argument("<shell>", "bash, zsh or fish")
    .action((shell: string) => {
      const script = SHELLS[shell];
      if (!script) throw new UsageError(`completion: the shell must be bash, zsh or fish, got "${shell}"`);
      process.stdout.write(script(program));
    });
}
