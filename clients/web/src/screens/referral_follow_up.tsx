// The receiving institution's form for a follow-up on a referral (kind,
// when, notes sealed for the receiver).
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { useState } from "preact/hooks";
import { client } from "../api";
import { ErrorBox } from "../components/error_box";
import { FollowUpKindSchema } from "../gen/resguardo/v1/catalogues_pb";
import { ReferralFollowUpSchema, ReferralService } from "../gen/resguardo/v1/referral_service_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { SelectRow, TextRow } from "../forms/inputs";
import { useWrite } from "../forms/write";
import { checkPastMoment, nowLocal } from "../forms/dates";

const referrals = client(ReferralService);


export function ReferralFollowUpForm({ name, lang, onAdded }: {
  name: string;
  lang: Lang;
  onAdded: () => Promise<void>;
}) {
  const [kind, setKind] = useState(0);
  const [when, setWhen] = useState(nowLocal());
  const [notes, setNotes] = useState("");
  const [done, setDone] = useState(false);
  const { errors, failure, run } = useWrite(lang, "");
  const c = { lang, errors };
  return (
    <form class="subform" noValidate aria-labelledby="rfu-add-title" onSubmit={async (ev) => {
      ev.preventDefault();
      setDone(false);
      const local = new Map<string, TextKey>();
      if (!kind) local.set("follow_up.kind", "textRequired");
      const moment = checkPastMoment(when);
      if (moment) local.set("follow_up.occur_time", moment === "future" ? "dateFuture" : "textRequired");
      const ok = await run(local, () => referrals.addReferralFollowUp({
        parent: name,
        followUp: create(ReferralFollowUpSchema, {
          kind, occurTime: timestampFromDate(new Date(when)), notes,
        }),
      }));
      if (!ok) return;
      setKind(0); setNotes(""); setWhen(nowLocal());
      setDone(true);
      await onAdded();
    }}>
      <h4 id="rfu-add-title">{t("addFollowUp", lang)}</h4>
      <SelectRow {...c} path="follow_up.kind" label="fFollowUpKind" required
                 catalogue={FollowUpKindSchema} value={kind} onChange={setKind} />
      <TextRow {...c} path="follow_up.occur_time" label="fOccurTime" required
               type="datetime-local" value={when} onInput={setWhen} />
      <TextRow {...c} path="follow_up.notes" label="fNotes" multiline value={notes} onInput={setNotes} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit">{t("addFollowUp", lang)}</button>
      <p role="status">{done ? t("followUpAdded", lang) : ""}</p>
    </form>
  );
}
