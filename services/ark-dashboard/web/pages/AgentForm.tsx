import { BUILT_IN_TOOL_NAMES, validateArkResource } from "@ark/types";
import { useEffect, useState, type FormEvent } from "react";
import { apiSend, ApiError } from "../api.js";
import { Field } from "../components/Field.js";
import { ErrorBox, Loading } from "../components/states.js";
import { useApi, useNamespace } from "../hooks.js";
import { Link, navigate } from "../router.js";
import { PageTitle } from "../components/PageTitle.js";

interface AgentDetail {
  name: string;
  description?: string;
  prompt?: string;
  modelRef?: { name: string };
  tools?: Array<{ type: string; name?: string }>;
  maxIterations?: number;
}

interface Values {
  name: string;
  description: string;
  prompt: string;
  model: string;
  tools: string[];
  maxIterations: string;
}

const EMPTY: Values = { name: "", description: "", prompt: "", model: "", tools: [], maxIterations: "" };

/** The fields of the form, by the Kubernetes field path the schemas report. */
const FIELD_OF_PATH: Array<[RegExp, keyof Values]> = [
  [/^(metadata\.)?name$/, "name"],
  [/^spec\.description/, "description"],
  [/^spec\.prompt/, "prompt"],
  [/^spec\.modelRef/, "model"],
  [/^spec\.tools/, "tools"],
  [/^spec\.maxIterations/, "maxIterations"],
];

function fieldOf(path: string): keyof Values | undefined {
  const bare = path.replace(/^body\./, "spec.").replace(/^spec\.name$/, "name");
  return FIELD_OF_PATH.find(([pattern]) => pattern.test(bare))?.[1];
}

/** The body ark-api takes for an agent (spec fields beside name), from the form. */
function agentBody(values: Values): Record<string, unknown> {
  const tools = values.tools.map((tool) => (tool.startsWith("built-in:") ? { type: "built-in", name: tool.slice(9) } : { type: "custom", name: tool.slice(7) }));
  const max = values.maxIterations.trim();
  return {
    ...(values.description ? { description: values.description } : {}),
    ...(values.prompt ? { prompt: values.prompt } : {}),
    ...(values.model ? { modelRef: { name: values.model } } : {}),
    ...(tools.length ? { tools } : {}),
    ...(max ? { maxIterations: /^-?\d+$/.test(max) ? Number(max) : max } : {}),
  };
}

/** Create (no name) or edit an Agent; checked by @ark/types' schemas and admission rules before it is sent. */
export function AgentForm({ name }: { name?: string }) {
  const namespace = useNamespace();
  const base = `/v1/namespaces/${encodeURIComponent(namespace)}`;
  const existing = useApi<AgentDetail>(name ? `${base}/agents/${encodeURIComponent(name)}` : null);
  const models = useApi<{ items: Array<{ name: string }> }>(`${base}/models`);
  const tools = useApi<{ items: Array<{ name: string }> }>(`${base}/tools`);
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Values, string>>>({});
  const [formError, setFormError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const agent = existing.data;
    if (!agent) return;
    setValues({
      name: agent.name,
      description: agent.description ?? "",
      prompt: agent.prompt ?? "",
      model: agent.modelRef?.name ?? "",
      tools: (agent.tools ?? []).map((tool) => `${tool.type}:${tool.name ?? ""}`),
      maxIterations: agent.maxIterations === undefined ? "" : String(agent.maxIterations),
    });
  }, [existing.data]);

  if (name && existing.loading && !existing.data) return <Loading what={`agent ${name}`} />;
  if (name && existing.error) return <ErrorBox error={existing.error} />;

  const set = (field: keyof Values) => (value: string | string[]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(undefined);
    const body = agentBody(values);
    const checked = validateArkResource(
      { apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Agent", metadata: { name: values.name, namespace }, spec: body },
      { fieldValidation: "Strict", operation: name ? "update" : "create" },
    );
    if (!checked.ok) {
      const found: Partial<Record<keyof Values, string>> = {};
      const other: string[] = [];
      for (const error of checked.errors) {
        const field = fieldOf(error.field);
        if (field) found[field] ??= error.detail;
        else other.push(`${error.field}: ${error.detail}`);
      }
      setErrors(found);
      if (other.length) setFormError(new Error(other.join("; ")));
      return;
    }
    setBusy(true);
    try {
      if (name) await apiSend("PUT", `${base}/agents/${encodeURIComponent(name)}`, body);
      else await apiSend("POST", `${base}/agents`, { name: values.name, ...body });
      navigate(`/agents/${encodeURIComponent(values.name)}`);
    } catch (err) {
      // The API's field errors go to their fields too.
      if (err instanceof ApiError) {
        const found: Partial<Record<keyof Values, string>> = {};
        for (const d of err.details) {
          const field = d.field ? fieldOf(d.field) : undefined;
          if (field) found[field] ??= d.detail ?? d.message ?? "is invalid";
        }
        setErrors(found);
      }
      setFormError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const toolChoices = [...BUILT_IN_TOOL_NAMES.map((t) => `built-in:${t}`), ...(tools.data?.items ?? []).map((t) => `custom:${t.name}`)];
  return (
    <>
      <div className="page-head">
        <PageTitle to="/agents" parent="Agents">
          {name ? `Edit ${name}` : "New agent"}
        </PageTitle>
      </div>
      <form className="form card" onSubmit={submit} noValidate aria-label={name ? "Edit agent" : "New agent"}>
        {formError && <ErrorBox error={formError} title="Not saved" />}
        <Field id="name" label="Name" error={errors.name} hint="Lowercase letters, digits and '-' (a DNS subdomain).">
          <input id="name" value={values.name} disabled={Boolean(name)} onChange={(e) => set("name")(e.target.value)} />
        </Field>
        <Field id="description" label="Description" error={errors.description}>
          <input id="description" value={values.description} onChange={(e) => set("description")(e.target.value)} />
        </Field>
        <Field id="prompt" label="Prompt" error={errors.prompt} hint="The system prompt.">
          <textarea id="prompt" rows={5} value={values.prompt} onChange={(e) => set("prompt")(e.target.value)} />
        </Field>
        <Field id="model" label="Model" error={errors.model} hint="Unset: the Model named default in this namespace.">
          <select id="model" value={values.model} onChange={(e) => set("model")(e.target.value)}>
            <option value="">(default)</option>
            {(models.data?.items ?? []).map((m) => (
              <option key={m.name}>{m.name}</option>
            ))}
            {values.model && !(models.data?.items ?? []).some((m) => m.name === values.model) && <option>{values.model}</option>}
          </select>
        </Field>
        <Field id="tools" label="Tools" error={errors.tools}>
          <div id="tools" className="checks" role="group">
            {toolChoices.map((choice) => (
              <label key={choice}>
                <input type="checkbox" checked={values.tools.includes(choice)} onChange={(e) => set("tools")(e.target.checked ? [...values.tools, choice] : values.tools.filter((t) => t !== choice))} />{" "}
                {choice.replace(/^custom:/, "")}
                {choice.startsWith("built-in:") && <span className="muted"> (built-in)</span>}
              </label>
            ))}
          </div>
        </Field>
        <Field id="maxIterations" label="Max iterations" error={errors.maxIterations} hint="Model calls allowed in one answer (default 20).">
          <input id="maxIterations" inputMode="numeric" value={values.maxIterations} onChange={(e) => set("maxIterations")(e.target.value)} />
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : name ? "Save" : "Create agent"}
          </button>
          <Link to={name ? `/agents/${encodeURIComponent(name)}` : "/agents"} className="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
