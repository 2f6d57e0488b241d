#include "services/api/resource_names.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::api {
namespace {

TEST(ResourceNamesTest, InstitutionIds) {
  EXPECT_TRUE(IsValidInstitutionId("IEEPCO"));
  EXPECT_TRUE(IsValidInstitutionId("FGEO-FEVPRG"));
  EXPECT_FALSE(IsValidInstitutionId("I"));
  EXPECT_FALSE(IsValidInstitutionId("ieepco"));
  EXPECT_FALSE(IsValidInstitutionId("1EEPCO"));
  EXPECT_FALSE(IsValidInstitutionId("IEE/PCO"));
  EXPECT_FALSE(IsValidInstitutionId(std::string(33, 'A')));
}

TEST(ResourceNamesTest, UserIds) {
  EXPECT_TRUE(IsValidUserId("ana.lopez"));
  EXPECT_TRUE(IsValidUserId("r2"));
  EXPECT_FALSE(IsValidUserId(""));
  EXPECT_FALSE(IsValidUserId(".ana"));
  EXPECT_FALSE(IsValidUserId("Ana"));
  EXPECT_FALSE(IsValidUserId("ana lopez"));
}

TEST(ResourceNamesTest, CaseNamesRoundTrip) {
  std::string name =
      CaseResourceName("IEEPCO", FormatFolio("IEEPCO", 2026, 123));
  EXPECT_EQ(name, "institutions/IEEPCO/cases/IEEPCO-2026-000123");
  auto parsed = ParseCaseName(name);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->institution, "IEEPCO");
  EXPECT_EQ(parsed->folio, "IEEPCO-2026-000123");
}

TEST(ResourceNamesTest, RefusesAFolioOfAnotherInstitutionOrMalformed) {
  EXPECT_FALSE(ParseCaseName("institutions/IEEPCO/cases/FGEO-2026-000123"));
  EXPECT_FALSE(ParseCaseName("institutions/IEEPCO/cases/IEEPCO-26-000123"));
  EXPECT_FALSE(ParseCaseName("institutions/IEEPCO/cases/IEEPCO-2026-12"));
  EXPECT_FALSE(ParseCaseName("institutions/IEEPCO/cases/IEEPCO-2026-00012a"));
  EXPECT_FALSE(ParseCaseName("institutions/IEEPCO/cases"));
  EXPECT_FALSE(ParseCaseName("institutions/IEEPCO/cases/IEEPCO-2026-000123/x"));
  EXPECT_FALSE(ParseCaseName("/institutions/IEEPCO/cases/IEEPCO-2026-000123"));
}

TEST(ResourceNamesTest, InstitutionAndUserNames) {
  EXPECT_EQ(ParseInstitutionName("institutions/FGEO").value_or(""), "FGEO");
  EXPECT_FALSE(ParseInstitutionName("institutions/"));
  EXPECT_FALSE(ParseInstitutionName("institution/FGEO"));
  auto user = ParseUserName(UserResourceName("FGEO", "maria"));
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->user, "maria");
  EXPECT_FALSE(ParseUserName("institutions/FGEO/users/Maria"));
}

}  // namespace
TEST(ResourceNamesTest, AuditableResourceNames) {
  EXPECT_TRUE(IsAuditableResourceName("institutions/IEEPCO"));
  EXPECT_TRUE(IsAuditableResourceName(
      "institutions/IEEPCO/cases/IEEPCO-2026-000123/followUps/7"));
  EXPECT_TRUE(IsAuditableResourceName("institutions/FGEO/users/ana.p"));
  EXPECT_TRUE(IsAuditableResourceName("institutions/IEEPCO/referrals/12"));
  EXPECT_FALSE(IsAuditableResourceName(""));
  EXPECT_FALSE(IsAuditableResourceName("institutions"));
  EXPECT_FALSE(IsAuditableResourceName("institutions/ieepco"));
  EXPECT_FALSE(IsAuditableResourceName("institutions/IEEPCO/cases"));
  EXPECT_FALSE(IsAuditableResourceName("institutions/IEEPCO/notes/1"));
  EXPECT_FALSE(IsAuditableResourceName("institutions/IEEPCO/cases/"));
  EXPECT_FALSE(IsAuditableResourceName("institutions/IEEPCO/cases/Ana María"));
  EXPECT_FALSE(IsAuditableResourceName("institutions/IEEPCO/cases/" +
                                       std::string(65, 'a')));
  EXPECT_TRUE(IsAuditableResourceName(
      "institutions/IEEPCO/cases/IEEPCO-2026-000123/resolutions/1/appeals/2"));
  EXPECT_TRUE(
      IsAuditableResourceName("institutions/IEEPCO/cases/"
                              "IEEPCO-2026-000123/resolutions/1/"
                              "reparationMeasures/3"));
  EXPECT_FALSE(IsAuditableResourceName(
      "institutions/A1/cases/1/followUps/2/protectionMeasures/3/users/4/"
      "referrals/5"));
}

TEST(ResourceNamesTest, ResolutionsAndTheirRecords) {
  const std::string c = "institutions/IEEPCO/cases/IEEPCO-2026-000123";
  std::optional<ResolutionName> r = ParseResolutionName(c + "/resolutions/2");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->case_name.folio, "IEEPCO-2026-000123");
  EXPECT_EQ(r->seq, 2);
  EXPECT_EQ(ResolutionResourceName(r->case_name, 2), c + "/resolutions/2");
  std::optional<ResolutionChildName> a =
      ParseAppealName(c + "/resolutions/2/appeals/1");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->resolution.seq, 2);
  EXPECT_EQ(a->seq, 1);
  EXPECT_TRUE(
      ParseReparationMeasureName(c + "/resolutions/1/reparationMeasures/9"));
  EXPECT_FALSE(ParseResolutionName(c + "/resolutions/0"));
  EXPECT_FALSE(ParseResolutionName(c + "/resolutions/01"));
  EXPECT_FALSE(ParseAppealName(c + "/resolutions/1/reparationMeasures/1"));
  EXPECT_FALSE(ParseReparationMeasureName(c + "/protectionMeasures/1"));
}

TEST(ResourceNamesTest, MeasureNames) {
  auto m = ParseMeasureName(
      "institutions/IEEPCO/cases/IEEPCO-2026-000001/protectionMeasures/12");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->case_name.institution, "IEEPCO");
  EXPECT_EQ(m->case_name.folio, "IEEPCO-2026-000001");
  EXPECT_EQ(m->seq, 12);
  for (const char* bad :
       {"institutions/IEEPCO/cases/IEEPCO-2026-000001/protectionMeasures/",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001/protectionMeasures/0",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001/protectionMeasures/01",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001/protectionMeasures/-1",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001/protectionMeasures/1x",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001/followUps/1",
        "institutions/IEEPCO/cases/bad/protectionMeasures/1",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001"}) {
    EXPECT_FALSE(ParseMeasureName(bad)) << bad;
  }
}

}  // namespace resguardo::api
