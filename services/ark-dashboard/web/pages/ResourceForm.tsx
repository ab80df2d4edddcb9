import { useEffect, useState, type FormEvent } from "react";
import { apiGet, apiSend, ApiError } from "../api.js";
import { Field } from "../components/Field.js";
import { ErrorBox, Loading } from "../components/states.js";
import { editedSpec, FieldInputError, fieldForPath, NAME_FIELD, type Choices, type FormField, type FormValues, type KindForm } from "../forms/kind-forms.js";
import { bodyOf, checkManifest, versionOf } from "../forms/manifest.js";
import { useApi, useNamespace } from "../hooks.js";
import { toManifest, type KindPage } from "../kinds.js";
import { Link, navigate } from "../router.js";
import { PageTitle } from "../components/PageTitle.js";

type Errors = Record<string, string>;

/** The namespace's resource names the form offers (models for a team's selector, targets of a query…). */
function useChoices(namespace: string, segments: readonly string[]): Choices {
  const [choices, setChoices] = useState<Choices>({});
  const key = segments.join(",");
  useEffect(() => {
    const controller = new AbortController();
    for (const segment of segments) {
      apiGet<{ items: Array<{ name: string }> }>(`/v1/namespaces/${encodeURIComponent(namespace)}/${segment}`, controller.signal).then(
        (list) => setChoices((c) => ({ ...c, [segment]: list.items.map((item) => item.name) })),
        () => undefined,
      );
    }
    return () => controller.abort();
  }, [namespace, key]);
  return choices;
}

/** Create (no name) or edit a resource of a kind with a form; checked by @ark/types' schemas and admission rules before it is sent. */
export function ResourceForm({ page, form, name }: { page: KindPage; form: KindForm; name?: string }) {
  const namespace = useNamespace();
  const collection = `/v1/namespaces/${encodeURIComponent(namespace)}/${page.segment}`;
  const existing = useApi<Record<string, unknown> & { name: string }>(name ? `${collection}/${encodeURIComponent(name)}` : null);
  const choices = useChoices(namespace, form.needs ?? []);
  const [values, setValues] = useState<FormValues>(() => ({ name: "", ...initialValues(form) }));
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const noun = page.kind === "MCPServer" ? "MCP server" : page.kind.toLowerCase();

  useEffect(() => {
    if (!existing.data) return;
    const spec = (toManifest(page, existing.data).spec ?? {}) as Record<string, unknown>;
    setValues({ name: existing.data.name, ...form.fromSpec(spec) });
  }, [existing.data, form, page]);

  if (name && existing.loading && !existing.data) return <Loading what={`${noun} ${name}`} />;
  if (name && existing.error) return <ErrorBox error={existing.error} />;

  const fields = [NAME_FIELD, ...form.fields];
  const shown = fields.filter((field) => !field.when || field.when(values));
  const set = (id: string, value: string) => {
    setValues((v) => ({ ...v, [id]: value }));
    setErrors((e) => ({ ...e, [id]: "" }));
  };

  /** Errors at their fields; the rest (naming their field path) above the form. */
  const place = (problems: Array<{ field: string; detail: string }>) => {
    const found: Errors = {};
    const other: string[] = [];
    for (const problem of problems) {
      const id = fieldForPath(shown, problem.field);
      if (id) found[id] ||= problem.detail;
      else other.push(`${problem.field}: ${problem.detail}`);
    }
    setErrors(found);
    return other;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(undefined);
    let spec: Record<string, unknown>;
    const current = existing.data ? ((toManifest(page, existing.data).spec ?? {}) as Record<string, unknown>) : undefined;
    try {
      spec = current ? editedSpec(form, current, values) : form.toSpec(values);
    } catch (err) {
      if (!(err instanceof FieldInputError)) throw err;
      setErrors({ [err.field]: err.message });
      return;
    }
    const operation = name ? "update" : "create";
    const parts = { name: values.name ?? "", spec };
    const problems = checkManifest(page, namespace, parts, operation);
    if (problems.length) {
      const other = place(problems);
      if (other.length) setFormError(new Error(other.join("; ")));
      return;
    }
    setBusy(true);
    try {
      // An edit replaces the object as read (its resourceVersion and generation): a field emptied in the form is removed; a change of the spec made since is a 409.
      if (name) await apiSend("PUT", `${collection}/${encodeURIComponent(name)}`, { ...bodyOf(page, { ...parts, ...metadataOf(existing.data) }, "update"), ...versionOf(toManifest(page, existing.data ?? {})) });
      else await apiSend("POST", collection, bodyOf(page, parts, "create"));
      navigate(`/${page.segment}/${encodeURIComponent(parts.name)}`);
    } catch (err) {
      // ark-api's field errors land at their fields too.
      if (err instanceof ApiError) place(err.details.map((d) => ({ field: (d.field ?? "").replace(/^body\./, "spec."), detail: d.detail ?? d.message ?? "is invalid" })));
      setFormError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="page-head">
        <PageTitle to={`/${page.segment}`} parent={page.title}>
          {name ? `Edit ${name}` : `New ${noun}`}
        </PageTitle>
      </div>
      <form className="form card" onSubmit={submit} noValidate aria-label={name ? `Edit ${noun}` : `New ${noun}`}>
        {formError && <ErrorBox error={formError} title="Not saved" />}
        {shown.map((field) => (
          <Field key={field.id} id={field.id} label={field.label} error={errors[field.id] || undefined} hint={field.hint}>
            <Input field={field} value={values[field.id] ?? ""} disabled={field.id === "name" && Boolean(name)} choices={choices} onChange={(value) => set(field.id, value)} />
          </Field>
        ))}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : name ? "Save" : `Create ${noun}`}
          </button>
          <Link to={name ? `/${page.segment}/${encodeURIComponent(name)}` : `/${page.segment}`} className="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}

/** The labels and annotations of the object as read: a replacing PUT keeps them only when they are sent. */
function metadataOf(detail: Record<string, unknown> | undefined): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const map = (value: unknown) => (value && typeof value === "object" && Object.keys(value).length ? (value as Record<string, string>) : undefined);
  const labels = map(detail?.labels);
  const annotations = map(detail?.annotations);
  return { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
}

function initialValues(form: KindForm): FormValues {
  const values: FormValues = {};
  for (const field of form.fields) {
    if (field.input === "select" && !field.optional && Array.isArray(field.options)) values[field.id] = String(field.options[0] ?? "");
  }
  return values;
}

function Input({ field, value, disabled, choices, onChange }: { field: FormField; value: string; disabled: boolean; choices: Choices; onChange(value: string): void }) {
  const common = { id: field.id, value, disabled, onChange: (e: { target: { value: string } }) => onChange(e.target.value) };
  if (field.input === "textarea") return <textarea rows={field.id === "inputSchema" ? 6 : 4} {...common} />;
  if (field.input === "select") {
    const options = typeof field.options === "function" ? field.options(choices) : [...(field.options ?? [])];
    if (value && !options.includes(value)) options.push(value);
    return (
      <select {...common}>
        {field.optional && <option value="">(none)</option>}
        {options.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    );
  }
  return <input type={field.input === "password" ? "password" : "text"} inputMode={field.input === "number" ? "numeric" : undefined} autoComplete="off" {...common} />;
}
