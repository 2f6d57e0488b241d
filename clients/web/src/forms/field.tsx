// A labelled control with its error beside it: the error's id is in the
// control's aria-describedby, the control is aria-invalid, and the error is
// a live region so that a screen reader announces it when it appears.
import type { ComponentChildren } from "preact";
import type { Lang } from "../i18n";
import { t } from "../i18n";

export interface FieldProps {
  id: string;
  label: string;
  lang: Lang;
  error?: string;
  hint?: string;
  required?: boolean;
  children: (aria: ControlAria) => ComponentChildren;
}

export interface ControlAria {
  id: string;
  "aria-invalid"?: "true";
  "aria-describedby"?: string;
  required?: boolean;
}

export function Field({ id, label, lang, error, hint, required, children }: FieldProps) {
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""]
    .filter(Boolean).join(" ");
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>
        {label} <span class="req">{required ? t("required", lang) : t("optional", lang)}</span>
      </label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {children({
        id,
        "aria-invalid": error ? "true" : undefined,
        "aria-describedby": described || undefined,
        required,
      })}
      <p class="field-error" id={`${id}-error`} aria-live="assertive" hidden={!error}>
        {error}
      </p>
    </div>
  );
}

// A fieldset of checkboxes for a repeated catalogue field: each value a
// checkbox, the error described by the group.
export interface ChecksProps {
  id: string;
  legend: string;
  lang: Lang;
  choices: { number: number; label: string; code: string }[];
  value: number[];
  onChange: (v: number[]) => void;
  error?: string;
}

export function CheckGroup({ id, legend, lang, choices, value, onChange, error }: ChecksProps) {
  return (
    <fieldset
      id={id}
      class={error ? "checks invalid" : "checks"}
      aria-describedby={error ? `${id}-error` : undefined}
      aria-invalid={error ? "true" : undefined}
    >
      <legend>
        {legend} <span class="req">{t("optional", lang)}</span>
      </legend>
      {choices.map((c) => (
        <label class="check" key={c.number}>
          <input
            type="checkbox"
            value={String(c.number)}
            checked={value.includes(c.number)}
            onChange={(ev) => {
              const on = ev.currentTarget.checked;
              onChange(on ? [...value, c.number] : value.filter((n) => n !== c.number));
            }}
          />{" "}
          {c.label}
        </label>
      ))}
      <p class="field-error" id={`${id}-error`} aria-live="assertive" hidden={!error}>
        {error}
      </p>
    </fieldset>
  );
}
