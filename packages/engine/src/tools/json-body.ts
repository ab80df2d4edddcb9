import type { TemplatePrinter } from "@ark/gotemplate";

/** Whether a body template renders JSON: a JSON content type, or none and the template starts like a JSON object or array. */
export function isJsonBody(template: string, headers: Readonly<Record<string, string>>): boolean {
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  if (contentType !== undefined) return /[/+]json\b/i.test(contentType);
  return /^\s*[{[]/.test(template);
}

/**
 * Prints template values into JSON so they cannot change its structure: inside a string literal as escaped string
 * content; elsewhere as themselves when they are one JSON value (`5`, `true`, `{"a":1}`), else as a JSON string.
 */
export const printJsonValue: TemplatePrinter = (value, formatted, before) => {
  if (insideJsonString(before)) return JSON.stringify(formatted).slice(1, -1);
  if (isOneJsonValue(formatted)) return formatted;
  return typeof value === "string" ? JSON.stringify(formatted) : (JSON.stringify(value) ?? JSON.stringify(formatted));
};

function insideJsonString(text: string): boolean {
  let inside = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inside && c === "\\") i++;
    else if (c === '"') inside = !inside;
  }
  return inside;
}

function isOneJsonValue(text: string): boolean {
  if (text.trim() === "") return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
