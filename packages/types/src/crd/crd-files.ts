import { GROUP, type KindDefinition } from "../kinds/definition.js";
import { toCustomResourceDefinition } from "./crd.js";
import { crdToYaml } from "./crd-yaml.js";

/** Generated CRD files are named like controller-gen names them: `<group>_<plural>.yaml`. */
export const CRD_FILE_PREFIX = `${GROUP}_`;

export function crdFileName(def: Pick<KindDefinition, "group" | "plural">): string {
  return `${def.group}_${def.plural}.yaml`;
}

export function isGeneratedCrdFile(fileName: string): boolean {
  return fileName.startsWith(CRD_FILE_PREFIX) && fileName.endsWith(".yaml");
}

/** Every kind's CRD file name and content, in kind order. */
export function renderCrdFiles(kinds: readonly KindDefinition[]): { fileName: string; content: string }[] {
  return kinds.map((def) => ({ fileName: crdFileName(def), content: crdToYaml(toCustomResourceDefinition(def)) }));
}
