// Register a case: the guided form over CaseDescriptors and
// CasePersonalData; the folio of the new case at the end. The request id
// lives in this component's memory: a double submit, or a retry after a
// lost answer, creates one case; a new id only after a refusal (nothing
// written) followed by a change, or for another case.
import { create } from "@bufbuild/protobuf";
import { useRef, useState } from "preact/hooks";
import { client, newRequestId, outcomeUnknown, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import { CaseSchema } from "../gen/resguardo/v1/case_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { Me } from "../me";
import { parentOf } from "../me";
import { onLink } from "../router";
import { checkDraft, descriptorsOf, emptyDescriptors, emptyPersonal, personalOf } from "../forms/case_draft";
import type { DescriptorDraft, PersonalDraft } from "../forms/case_draft";
import { DescriptorFields } from "../forms/descriptor_fields";
import { PersonalFields } from "../forms/personal_fields";
import { focusFirstError, localErrors, nodeErrors } from "../forms/errors";

const cases = client(CaseService);

export function RegisterCase({ me, lang }: { me: Me; lang: Lang }) {
  const [d, setD] = useState<DescriptorDraft>(emptyDescriptors(me.institution?.stateCode ?? ""));
  const [p, setP] = useState<PersonalDraft>(emptyPersonal());
  const [errors, setErrors] = useState(new Map<string, string>());
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [folio, setFolio] = useState("");
  const requestId = useRef(newRequestId());
  // Set after a refusal: the next change gets a new request id.
  const refused = useRef(false);
  const sending = useRef(false);

  const changed = () => {
    if (refused.current) {
      requestId.current = newRequestId();
      refused.current = false;
    }
  };
  const setDesc = (patch: Partial<DescriptorDraft>) => { changed(); setD({ ...d, ...patch }); };
  const setPers = (patch: Partial<PersonalDraft>) => { changed(); setP({ ...p, ...patch }); };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (sending.current) return;  // a double click: the first submit goes on
    const local = localErrors(checkDraft(d, p), lang);
    setErrors(local);
    setFailure(null);
    if (local.size) {
      focusFirstError(local);
      return;
    }
    sending.current = true;
    setBusy(true);
    try {
      const created = await cases.createCase({
        parent: parentOf(me),
        caseRecord: create(CaseSchema, { descriptors: descriptorsOf(d), personalData: personalOf(p) }),
        requestId: requestId.current,
      });
      setFolio(created.folio);
      // The form's personal data leaves memory with the form.
      setP(emptyPersonal());
    } catch (e) {
      const err = toApiError(e, lang);
      if (!outcomeUnknown(err)) refused.current = true;
      const fields = nodeErrors(err, "case_record.", lang);
      setErrors(fields);
      setFailure(fields.size ? null : err);
      focusFirstError(fields);
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  if (folio) {
    return (
      <section aria-labelledby="registered-title">
        <h2 id="registered-title">{t("registeredTitle", lang)}</h2>
        <p>
          {t("registeredFolio", lang)}: <strong class="folio">{folio}</strong>
        </p>
        <p>
          <a href={`/casos/${encodeURIComponent(folio)}`} onClick={onLink}>{t("openCase", lang)}</a>
        </p>
        <button type="button" onClick={() => {
          requestId.current = newRequestId();
          refused.current = false;
          setD(emptyDescriptors(me.institution?.stateCode ?? ""));
          setFolio("");
        }}>{t("registerAnother", lang)}</button>
      </section>
    );
  }
  return (
    <section aria-labelledby="register-title">
      <h2 id="register-title">{t("registerTitle", lang)}</h2>
      <p>{t("registerIntro", lang)}</p>
      <form onSubmit={submit} noValidate>
        {errors.size > 0 && (
          <p class="error-summary" role="alert">{t("fieldErrorsSummary", lang)}</p>
        )}
        <DescriptorFields d={d} set={setDesc} errors={errors} lang={lang} />
        <PersonalFields p={p} set={setPers} errors={errors} lang={lang} />
        <ErrorBox error={failure} lang={lang} />
        <button type="submit" class="primary" aria-disabled={busy ? "true" : undefined}>
          {busy ? t("registering", lang) : t("registerSubmit", lang)}
        </button>
      </form>
    </section>
  );
}
