import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** $ARK_HOME/dev-stack.json: what a running `ark dev` serves, for `ark status`. */
export interface StackFile {
  pid: number;
  startedAt: string;
  kubeconfig?: string;
  /** PEM of the CA that signed ark-apiserver's certificate (public). */
  ca?: string;
  services: { name: string; url: string; readyUrl?: string }[];
}

export function stackFilePath(arkHome: string): string {
  return join(arkHome, "dev-stack.json");
}

export async function writeStackFile(arkHome: string, file: StackFile): Promise<void> {
  await writeFile(stackFilePath(arkHome), `${JSON.stringify(file, null, 2)}\n`);
}

export async function readStackFile(arkHome: string): Promise<StackFile | undefined> {
  try {
    return JSON.parse(await readFile(stackFilePath(arkHome), "utf8")) as StackFile;
  } catch {
    return undefined;
  }
}

export async function removeStackFile(arkHome: string): Promise<void> {
  await rm(stackFilePath(arkHome), { force: true });
}
