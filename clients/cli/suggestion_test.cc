#include "clients/cli/suggestion.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

const std::vector<std::string> kWords = {"list",   "get",       "create",
                                         "update", "follow-up", "measure"};

TEST(SuggestionTest, ASlipFindsTheWordMeant) {
  EXPECT_EQ(ClosestWord("lsit", kWords), "list");      // swapped neighbours
  EXPECT_EQ(ClosestWord("creat", kWords), "create");   // a letter missing
  EXPECT_EQ(ClosestWord("UPDATE", kWords), "update");  // case
  EXPECT_EQ(ClosestWord("folowup", kWords), "follow-up");
  EXPECT_EQ(ClosestWord("gte", kWords), "get");
}

TEST(SuggestionTest, AnotherWordIsNotASlip) {
  EXPECT_EQ(ClosestWord("borrar", kWords), std::nullopt);
  EXPECT_EQ(ClosestWord("x", kWords), std::nullopt);
  EXPECT_EQ(ClosestWord("list", {}), std::nullopt);
}

}  // namespace
}  // namespace resguardo::cli
