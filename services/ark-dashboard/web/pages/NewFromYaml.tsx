import { YamlEditor } from "../components/YamlEditor.js";
import { apiVersionOf } from "../forms/manifest.js";
import { useNamespace } from "../hooks.js";
import type { KindPage } from "../kinds.js";
import { Link } from "../router.js";

/** Create a resource of a kind without a form by writing its manifest. */
export function NewFromYaml({ page }: { page: KindPage }) {
  const namespace = useNamespace();
  return (
    <>
      <div className="page-head">
        <h1>
          <Link to={`/${page.segment}`} className="muted">
            {page.title}
          </Link>{" "}
          / New {page.kind}
        </h1>
      </div>
      <YamlEditor page={page} namespace={namespace} manifest={{ apiVersion: apiVersionOf(page.kind), kind: page.kind, metadata: { name: "", namespace }, spec: {} }} />
    </>
  );
}
