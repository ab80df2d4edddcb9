import type { ReactNode } from "react";

/** A labelled input with its error (from the schemas or ark-api) or its hint below. */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string | undefined; children: ReactNode }) {
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <span className="field-error" id={`${id}-error`} role="alert" data-field={id}>
          {error}
        </span>
      ) : (
        hint && <span className="hint muted">{hint}</span>
      )}
    </div>
  );
}
