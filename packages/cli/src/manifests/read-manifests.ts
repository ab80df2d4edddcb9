import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { UsageError } from "../errors.js";
import { isRecord, type Manifest, type ManifestSource } from "./manifest.js";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** The files `apply -f` reads: files as given, directories recursively (.yaml, .yml, .json, sorted), `-` for stdin. */
export async function discoverFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (path === "-") {
      files.push("-");
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`${path}: no such file or directory`);
    if (info.isDirectory()) files.push(...(await filesUnder(path)));
    else files.push(path);
  }
  return files;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

/** Every object in a YAML/JSON text: multi-document YAML, empty documents skipped, `kind: List` items spread. */
export function parseManifests(text: string, file: string): ManifestSource[] {
  const sources: ManifestSource[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    const origin = `${file}:${index + 1}`;
    if (doc.errors.length > 0) throw new UsageError(`${origin}: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (!isRecord(value)) throw new UsageError(`${origin}: expected an object, got ${Array.isArray(value) ? "a list" : typeof value}`);
    if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        if (!isRecord(item)) throw new UsageError(`${origin}: items[${i}] is not an object`);
        sources.push({ manifest: item as Manifest, origin: `${origin} items[${i}]` });
      });
      return;
    }
    sources.push({ manifest: value as Manifest, origin });
  });
  return sources;
}

export async function readManifests(paths: readonly string[], stdin: () => Promise<string> = readStdin): Promise<ManifestSource[]> {
  const sources: ManifestSource[] = [];
  for (const file of await discoverFiles(paths)) {
    const text = file === "-" ? await stdin() : await readFile(file, "utf8");
    sources.push(...parseManifests(text, file === "-" ? "stdin" : file));
  }
  return sources;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
