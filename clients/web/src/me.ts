// Who the browser is: the caller's own user, roles and institution, from
// AdminService.GetCurrentUser (the certificate is the sign-in; the node
// says whom it names). Screens are offered by these roles.
import type { CurrentUser } from "./gen/resguardo/v1/admin_service_pb";
import { InstitutionKind, Role } from "./gen/resguardo/v1/catalogues_pb";

export type Me = CurrentUser;

export function parentOf(me: Me): string {
  return `institutions/${me.institution?.institutionId ?? me.name.split("/")[1]}`;
}

export function institutionId(me: Me): string {
  return me.institution?.institutionId ?? me.name.split("/")[1];
}

const has = (me: Me, ...roles: Role[]) => me.roles.some((r) => roles.includes(r));

// The screens each role reaches (the node's role × method table decides;
// these only avoid offering what it would refuse).
export const can = {
  register: (me: Me) => has(me, Role.REGISTRAR, Role.CASEWORKER, Role.SUPERVISOR),
  cases: (me: Me) => has(me, Role.REGISTRAR, Role.CASEWORKER, Role.SUPERVISOR),
  followUp: (me: Me) => has(me, Role.CASEWORKER, Role.SUPERVISOR),
  edit: (me: Me) => has(me, Role.CASEWORKER, Role.SUPERVISOR),
  refer: (me: Me) => has(me, Role.REGISTRAR, Role.CASEWORKER, Role.SUPERVISOR),
  referrals: (me: Me) => has(me, Role.REGISTRAR, Role.CASEWORKER, Role.SUPERVISOR),
  workInbox: (me: Me) => has(me, Role.CASEWORKER, Role.SUPERVISOR),
  stats: (me: Me) => has(me, Role.ANALYST),
  alerts: (me: Me) => has(me, Role.CASEWORKER, Role.SUPERVISOR),
  audit: (me: Me) => has(me, Role.AUDITOR),
  // ExportLog: auditors of an oversight body only.
  exportLog: (me: Me) => has(me, Role.AUDITOR) && me.institution?.kind === InstitutionKind.OVERSIGHT,
  erase: (me: Me) => has(me, Role.SUPERVISOR),
  // The registry of sanctioned persons (/registro): inscribing and
  // delisting are a supervisor's.
  registry: (me: Me) => has(me, Role.SUPERVISOR),
  override: (me: Me) => has(me, Role.SUPERVISOR),
  users: (me: Me) => has(me, Role.ADMIN),
  institutions: (me: Me) => has(me, Role.ADMIN) && !!me.institution?.operator,
};

// A case's resource name from its folio: the folio begins with its
// institution's id (IEEPCO-2026-000123), so a case of another institution
// is asked of the node as what it is (and the node answers not found).
export function caseName(me: Me, folio: string): string {
  const m = /^(.+)-\d{4}-\d+$/.exec(folio);
  return `institutions/${m ? m[1] : institutionId(me)}/cases/${folio}`;
}
