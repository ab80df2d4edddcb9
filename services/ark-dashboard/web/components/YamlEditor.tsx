import { useEffect, useState } from "react";
import { parse, stringify } from "yaml";
import { apiSend, ApiError } from "../api.js";
import { apiVersionOf, bodyOf, checkManifest, versionOf, type FieldProblem } from "../forms/manifest.js";
import { toManifest, type KindPage } from "../kinds.js";
import { navigate } from "../router.js";

type Rec = Record<string, unknown>;
const isRec = (value: unknown): value is Rec => typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads the editor's text as a manifest of this kind: what is wrong, by field path, or its parts. */
function readManifest(page: KindPage, text: string, expectedName?: string): { problems: FieldProblem[]; parts?: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; spec: Rec } } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return { problems: [{ field: "(yaml)", detail: (err as Error).message }] };
  }
  if (!isRec(doc)) return { problems: [{ field: "(yaml)", detail: "must be a mapping with apiVersion, kind, metadata and spec" }] };
  const problems: FieldProblem[] = [];
  if (doc.apiVersion !== apiVersionOf(page.kind)) problems.push({ field: "apiVersion", detail: `must be ${apiVersionOf(page.kind)}` });
  if (doc.kind !== page.kind) problems.push({ field: "kind", detail: `must be ${page.kind} on this page` });
  const metadata = isRec(doc.metadata) ? doc.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : "";
  if (expectedName !== undefined && name !== expectedName) problems.push({ field: "metadata.name", detail: `is ${expectedName}: a resource cannot be renamed` });
  if (problems.length) return { problems };
  const parts = {
    name,
    spec: isRec(doc.spec) ? doc.spec : {},
    ...(isRec(metadata.labels) ? { labels: metadata.labels as Record<string, string> } : {}),
    ...(isRec(metadata.annotations) ? { annotations: metadata.annotations as Record<string, string> } : {}),
  };
  return { problems: [], parts };
}

/** What the editor starts from: the manifest without status and the fields the server sets. */
function editable(manifest: Rec): Rec {
  const metadata = isRec(manifest.metadata) ? manifest.metadata : {};
  const kept = Object.fromEntries(["name", "namespace", "labels", "annotations"].filter((k) => metadata[k] !== undefined).map((k) => [k, metadata[k]]));
  return { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: kept, spec: manifest.spec ?? {} };
}

/**
 * The YAML of a resource, editable: checked by the kind's schema before it is sent to ark-api (create when `name`
 * is absent). Saving replaces the object as read (a PUT with its resourceVersion and generation): a field removed from
 * the text is removed, and a change of the spec made by someone else since is a 409 shown here instead of being
 * overwritten (a controller's status write is not).
 */
export function YamlEditor({ page, namespace, manifest: given, name, onSaved }: { page: KindPage; namespace: string; manifest: Rec; name?: string; onSaved?(): void }) {
  // What ark-api answered to the last save: shown (and edited next) until the page's copy is read again,
  // so an edit right after a save starts from the saved version, not the one before it.
  const [saved, setSaved] = useState<Rec>();
  const givenVersion = versionOf(given).resourceVersion;
  useEffect(() => setSaved(undefined), [givenVersion]);
  const manifest = saved ?? given;
  const [editing, setEditing] = useState(!name);
  const [text, setText] = useState(() => stringify(editable(manifest)));
  const [readVersion, setReadVersion] = useState(() => versionOf(manifest));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const collection = `/v1/namespaces/${encodeURIComponent(namespace)}/${page.segment}`;

  const save = async () => {
    setFailure(undefined);
    const read = readManifest(page, text, name);
    const operation = name ? "update" : "create";
    const found = read.parts ? checkManifest(page, namespace, read.parts, operation) : read.problems;
    setProblems(found);
    if (found.length || !read.parts) return;
    setBusy(true);
    try {
      if (name) {
        const detail = await apiSend<Rec>("PUT", `${collection}/${encodeURIComponent(name)}`, { ...bodyOf(page, read.parts, "update"), ...readVersion });
        if (detail) setSaved(toManifest(page, detail));
      } else await apiSend("POST", collection, bodyOf(page, read.parts, "create"));
      setEditing(false);
      onSaved?.();
      if (!name) navigate(`/${page.segment}/${encodeURIComponent(read.parts.name)}`);
    } catch (err) {
      if (err instanceof ApiError) setProblems(err.details.map((d) => ({ field: d.field ?? "", detail: d.detail ?? d.message ?? "is invalid" })));
      setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!editing) {
    return (
      <>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setText(stringify(editable(manifest)));
              setReadVersion(versionOf(manifest));
              setEditing(true);
            }}
          >
            Edit YAML
          </button>
        </div>
        <pre className="yaml" aria-label="YAML">
          {stringify(manifest)}
        </pre>
      </>
    );
  }
  return (
    <div className="yaml-editor">
      {(failure || problems.length > 0) && (
        <div className="error" role="alert">
          <strong>Not saved:</strong> {failure ?? "the YAML does not pass the schema"}
          <ul className="yaml-errors">
            {problems.map((p, i) => (
              <li key={i} data-field={p.field}>
                <code>{p.field}</code> {p.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
      <textarea aria-label="YAML editor" className="yaml" spellCheck={false} rows={Math.max(12, text.split("\n").length + 2)} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="actions">
        <button type="button" disabled={busy} onClick={save}>
          {busy ? "Saving…" : name ? "Save YAML" : `Create ${page.kind}`}
        </button>
        {name && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setEditing(false);
              setProblems([]);
              setFailure(undefined);
            }}
          >
            Discard
          </button>
        )}
      </div>
    </div>
  );
}
