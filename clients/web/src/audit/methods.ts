// The full method names an audit entry can carry for the node's own API
// ("/resguardo.v1.CaseService/GetCase"), from the generated service
// descriptors: offered as suggestions for the method filter.
import type { DescService } from "@bufbuild/protobuf";
import { AdminService } from "../gen/resguardo/v1/admin_service_pb";
import { AuditService } from "../gen/resguardo/v1/audit_service_pb";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import { ReferralService } from "../gen/resguardo/v1/referral_service_pb";
import { StatsService } from "../gen/resguardo/v1/stats_service_pb";

const services: DescService[] = [CaseService, ReferralService, AuditService, StatsService, AdminService];

export const METHODS: string[] = services.flatMap((s) =>
  s.methods.map((m) => `/${s.typeName}/${m.name}`));
