import { YamlEditor } from "../components/YamlEditor.js";
import { apiVersionOf } from "../forms/manifest.js";
import { useNamespace } from "../hooks.js";
import type { KindPage } from "../kinds.js";
import { PageTitle } from "../components/PageTitle.js";

/** Create a resource of a kind without a form by writing its manifest. */
export function NewFromYaml({ page }: { page: KindPage }) {
  const namespace = useNamespace();
  return (
    <>
      <div className="page-head">
        <PageTitle to={`/${page.segment}`} parent={page.title}>
          New {page.kind}
        </PageTitle>
      </div>
      <YamlEditor page={page} namespace={namespace} manifest={{ apiVersion: apiVersionOf(page.kind), kind: page.kind, metadata: { name: "", namespace }, spec: {} }} />
    </>
  );
}
