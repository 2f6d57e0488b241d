// The prosecutor's caseworker cannot open the electoral institute's case
// page: the node answers not found for a case of another institution.
import { Session } from "../session.mjs";
import { CANARIES } from "../canaries.mjs";

export async function notFound({ browser, env, checks, state }) {
  const s = await Session.open(browser, env, "prosecutor", env.certificates.prosecutor);
  await s.goto(`/casos/${state.folio}`);
  await s.page.getByText("No encontrado.").waitFor();
  checks.check(true, "another institution's case page: not found");
  await checks.screen(s, "case-not-found");
  await checks.noCanaries(s, CANARIES, "not-found");
  await s.close();
}
