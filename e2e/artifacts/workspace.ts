import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface WorkspacePackage {
  name: string;
  dir: string;
  dependencies: string[];
  devDependencies: string[];
}

/** Every package under packages/ and services/ (the workspace globs that hold deployable code). */
export function workspacePackages(root: string): Map<string, WorkspacePackage> {
  const found = new Map<string, WorkspacePackage>();
  for (const group of ["packages", "services"]) {
    for (const folder of readdirSync(join(root, group))) {
      const manifest = join(root, group, folder, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; dependencies?: object; devDependencies?: object };
      const ark = (deps: object | undefined) => Object.keys(deps ?? {}).filter((d) => d.startsWith("@ark/"));
      found.set(pkg.name, { name: pkg.name, dir: `${group}/${folder}`, dependencies: ark(pkg.dependencies), devDependencies: ark(pkg.devDependencies) });
    }
  }
  return found;
}

/** The package and the workspace packages it needs at run time, transitively (what `deploy --prod` copies in). */
export function productionClosure(packages: Map<string, WorkspacePackage>, name: string, seen = new Set<string>()): Set<string> {
  const pkg = packages.get(name);
  if (!pkg || seen.has(name)) return seen;
  seen.add(name);
  for (const dep of pkg.dependencies) productionClosure(packages, dep, seen);
  return seen;
}
