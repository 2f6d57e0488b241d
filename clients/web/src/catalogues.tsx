// The catalogues: every enum of catalogues.proto, its codes and its labels
// in the chosen language, from the proto descriptors.
import { useState } from "preact/hooks";
import { file_resguardo_v1_catalogues } from "./gen/resguardo/v1/catalogues_pb";
import type { Lang } from "./i18n";
import { t } from "./i18n";
import { catalogueLabelOf, choicesOf } from "./labels";

const enums = file_resguardo_v1_catalogues.enums;

export function Catalogues({ lang }: { lang: Lang }) {
  const [index, setIndex] = useState(0);
  const e = enums[index];
  return (
    <section aria-labelledby="catalogues-title">
      <h2 id="catalogues-title">{t("catalogues", lang)}</h2>
      <p>{t("cataloguesIntro", lang)}</p>
      <label for="catalogue">{t("chooseCatalogue", lang)}</label>
      <select
        id="catalogue"
        value={String(index)}
        onChange={(ev) => setIndex(Number(ev.currentTarget.value))}
      >
        {enums.map((d, i) => (
          <option value={String(i)} key={d.typeName}>
            {catalogueLabelOf(d, lang)}
          </option>
        ))}
      </select>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("code", lang)}</th>
            <th scope="col">{t("labelColumn", lang)}</th>
          </tr>
        </thead>
        <tbody>
          {choicesOf(e, lang).map((c) => (
            <tr key={c.number}>
              <td>
                <code>{c.code}</code>
              </td>
              <td>{c.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
