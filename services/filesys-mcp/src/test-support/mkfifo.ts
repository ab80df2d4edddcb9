import { execFileSync } from "node:child_process";

/** Node has no mkfifo; the coreutils one is on every Linux and macOS machine. */
export async function mkfifo(path: string): Promise<void> {
  execFileSync("mkfifo", [path]);
}
