#include "services/cases/person_key.h"

#include <memory>
#include <string>

#include "base/testing/status_matchers.h"
#include "crypto/key_provider.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cases {
namespace {

v1::CasePersonalData Named(std::string name, int y, int m, int d) {
  v1::CasePersonalData data;
  data.set_victim_name(std::move(name));
  data.mutable_victim_birth_date()->set_year(y);
  data.mutable_victim_birth_date()->set_month(m);
  data.mutable_victim_birth_date()->set_day(d);
  return data;
}

TEST(PersonKeysTest, NamesAreNormalised) {
  EXPECT_EQ(PersonKeys::NormalisedIdentifier(
                Named("  maría  Núñez\tPérez ", 1990, 2, 3)),
            "name:MARIA NUNEZ PEREZ|1990-02-03");
}

TEST(PersonKeysTest, TheCurpWinsOverTheName) {
  v1::CasePersonalData data = Named("Ana", 1990, 2, 3);
  data.set_victim_curp("goma900203mocmrn09");
  EXPECT_EQ(PersonKeys::NormalisedIdentifier(data), "curp:GOMA900203MOCMRN09");
}

TEST(PersonKeysTest, NoCurpAndNoBirthDateGiveNoKey) {
  v1::CasePersonalData data;
  data.set_victim_name("Ana");
  crypto::testing::FixedKeyProvider keys('p');
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PersonKeys> persons,
                       PersonKeys::New(keys));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> key, persons->Of(data));
  EXPECT_FALSE(key.has_value());
}

TEST(PersonKeysTest, SpellingsOfTheSameNameGiveTheSameKey) {
  crypto::testing::FixedKeyProvider keys('p');
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PersonKeys> persons,
                       PersonKeys::New(keys));
  ASSERT_OK_AND_ASSIGN(auto a, persons->Of(Named("María López", 1980, 1, 1)));
  ASSERT_OK_AND_ASSIGN(auto b, persons->Of(Named("MARIA  LOPEZ", 1980, 1, 1)));
  ASSERT_OK_AND_ASSIGN(auto c, persons->Of(Named("MARIA LOPEZ", 1980, 1, 2)));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

}  // namespace
}  // namespace resguardo::cases
