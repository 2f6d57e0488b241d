// What a case list and a case page mark: a high or critical risk, and
// protection measures in force whose expiry is near (within 7 days) or past.
import type { Case, ProtectionMeasure } from "./gen/resguardo/v1/case_pb";
import { ProtectionMeasureStatus, RiskLevel } from "./gen/resguardo/v1/catalogues_pb";
import { formatDate, today } from "./forms/dates";
import type { TextKey } from "./i18n";

const NEAR_DAYS = 7;

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function measureMarker(m: ProtectionMeasure): TextKey | null {
  const live = m.status === ProtectionMeasureStatus.IN_FORCE ||
    m.status === ProtectionMeasureStatus.EXTENDED;
  const expiry = formatDate(m.expiryDate);
  if (!live || expiry.length !== 10) return null;
  if (expiry < today()) return "measureExpired";
  if (expiry <= addDays(today(), NEAR_DAYS)) return "measureExpiring";
  return null;
}

export function caseMarkers(c: Case): TextKey[] {
  const out: TextKey[] = [];
  const risk = c.descriptors?.riskLevel;
  if (risk === RiskLevel.HIGH || risk === RiskLevel.CRITICAL) out.push("highRisk");
  const m = c.protectionMeasures.map(measureMarker).filter((x): x is TextKey => !!x);
  if (m.includes("measureExpired")) out.push("measureExpired");
  else if (m.includes("measureExpiring")) out.push("measureExpiring");
  return out;
}
