import { describe, expect, it } from "vitest";
import { loadFixture, nameOf } from "../fixtures/load.js";
import { findKind } from "../kinds/index.js";
import { compileOpenAPIValidator } from "./ajv-openapi.js";
import { openAPIV3SchemaFor } from "./crd.js";

type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; spec?: unknown; status?: unknown };

const arkManifests = (file: string): Manifest[] => (loadFixture(file) as Manifest[]).filter((m) => findKind(m.apiVersion, m.kind) !== undefined);

// One compiled validator per kind: compiling is the slow part, and the invalid corpus has many manifests of a kind.
const validators = new Map<string, ReturnType<typeof compileOpenAPIValidator>>();

function verdicts(manifest: Manifest): { crd: string[]; zod: boolean } {
  const def = findKind(manifest.apiVersion, manifest.kind)!;
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  const validate = validators.get(key) ?? compileOpenAPIValidator(openAPIV3SchemaFor(def));
  validators.set(key, validate);
  const zodSpec = def.spec.safeParse(manifest.spec).success;
  const zodStatus = manifest.status === undefined || def.status.safeParse(manifest.status).success;
  return { crd: validate(manifest), zod: zodSpec && zodStatus };
}

describe("a CRD schema accepts what its zod schema accepts", () => {
  for (const manifest of arkManifests("full-manifests.yaml")) {
    it(`accepts ${nameOf(manifest)}, which uses every spec and status field`, () => {
      expect(verdicts(manifest)).toEqual({ crd: [], zod: true });
    });
  }

  it("rejects an invalid manifest only when zod rejects it too", () => {
    const stricterThanZod = arkManifests("invalid-manifests.yaml")
      .map((m) => ({ name: nameOf(m), ...verdicts(m) }))
      .filter((v) => v.crd.length > 0 && v.zod);
    expect(stricterThanZod).toEqual([]);
  });
});
