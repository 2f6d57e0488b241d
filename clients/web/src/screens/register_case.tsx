// Register a case: the guided form over CaseDescriptors and
// CasePersonalData; the folio of the new case at the end. The request id
// lives in the form's memory (forms/write.ts): a double submit, or a retry
// after a lost answer, creates one case.
import { create } from "@bufbuild/protobuf";
import { useState } from "preact/hooks";
import { client } from "../api";
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
import { useWrite } from "../forms/write";

const cases = client(CaseService);

export function RegisterCase({ me, lang }: { me: Me; lang: Lang }) {
  const [d, setD] = useState<DescriptorDraft>(emptyDescriptors(me.institution?.stateCode ?? ""));
  const [p, setP] = useState<PersonalDraft>(emptyPersonal());
  const [folio, setFolio] = useState("");
  const { errors, failure, busy, run } = useWrite(lang, "case_record.");

  const setDesc = (patch: Partial<DescriptorDraft>) => setD({ ...d, ...patch });
  const setPers = (patch: Partial<PersonalDraft>) => setP({ ...p, ...patch });

  const submit = async (ev: Event) => {
    ev.preventDefault();
    let created = "";
    const ok = await run(checkDraft(d, p), async (requestId) => {
      const c = await cases.createCase({
        parent: parentOf(me),
        caseRecord: create(CaseSchema, { descriptors: descriptorsOf(d), personalData: personalOf(p) }),
        requestId,
      });
      created = c.folio;
    });
    if (!ok) return;
    setFolio(created);
    // The form's personal data leaves memory with the form.
    setP(emptyPersonal());
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
