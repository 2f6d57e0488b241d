// The read each screen's refusal asks the node (refused.tsx): the method
// the screen itself would call first, with the least it can ask for, so
// that the node's role table — not the client's — decides and the attempt
// is audited like any call. Reads only: a probe never writes (registering
// a case asks ListCases, which the same roles may call).
import { client } from "../api";
import { AuditService } from "../gen/resguardo/v1/audit_service_pb";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import { ReferralBox, ReferralService } from "../gen/resguardo/v1/referral_service_pb";
import { RegistryService } from "../gen/resguardo/v1/registry_service_pb";
import { StatsService } from "../gen/resguardo/v1/stats_service_pb";
import type { Me } from "../me";
import { caseName, parentOf } from "../me";
import { referralName } from "../router";

const cases = client(CaseService);
const referrals = client(ReferralService);
const audit = client(AuditService);
const stats = client(StatsService);
const registry = client(RegistryService);

type Probe = () => Promise<unknown>;

const probes: [RegExp, (me: Me, m: RegExpExecArray) => Probe][] = [
  [/^\/casos(\/nuevo)?$/, (me) => () => cases.listCases({ parent: parentOf(me), pageSize: 1 })],
  [/^\/casos\/([A-Za-z0-9-]+)(\/canalizar)?$/, (me, m) => () => cases.getCase({ name: caseName(me, m[1]) })],
  [/^\/canalizaciones$/, (me) => () =>
    referrals.listReferrals({ parent: parentOf(me), box: ReferralBox.OUTBOX, pageSize: 1 })],
  [/^\/canalizaciones\/([A-Za-z0-9._-]+)\/([0-9]+)$/, (_me, m) => () =>
    referrals.getReferral({ name: referralName(m[1], m[2]) })],
  [/^\/alertas$/, (me) => () => referrals.listAlerts({ parent: parentOf(me), pageSize: 1 })],
  // The auditors' screens (issue 17's /auditoria, /auditoria/entradas).
  [/^\/auditoria$/, () => () => audit.getCheckpoint({})],
  [/^\/auditoria\/entradas$/, () => () => audit.listEntries({ pageSize: 1 })],
  // The supervisors' registry of sanctioned persons (issue 19's /registro).
  [/^\/registro$/, (me) => () => registry.listRegistryEntries({ parent: parentOf(me), pageSize: 1 })],
  // The analysts' screen (issue 17's /estadisticas): her allowance, which
  // spends nothing.
  [/^\/estadisticas$/, () => () => stats.getAllowance({})],
];

export function probeFor(path: string, me: Me): Probe | null {
  for (const [re, probe] of probes) {
    const m = re.exec(path);
    if (m) return probe(me, m);
  }
  return null;
}
