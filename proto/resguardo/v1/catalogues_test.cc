// The catalogues are a contract with every client and with stored data:
// codes never change, and every value carries both labels.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/labels.pb.h"

namespace resguardo::v1 {
namespace {

const google::protobuf::FileDescriptor* CataloguesFile() {
  return CaseKind_descriptor()->file();
}

// "Enum.VALUE = number" for every value of every catalogue, in file order.
std::string CodeListing() {
  std::string out;
  const auto* file = CataloguesFile();
  for (int e = 0; e < file->enum_type_count(); ++e) {
    const auto* en = file->enum_type(e);
    for (int v = 0; v < en->value_count(); ++v) {
      absl::StrAppend(&out, en->name(), ".", en->value(v)->name(), " = ",
                      en->value(v)->number(), "\n");
    }
  }
  return out;
}

TEST(CataloguesTest, CodesMatchTheGoldenListing) {
  const char* src = std::getenv("RESGUARDO_SOURCE_DIR");
  ASSERT_NE(src, nullptr) << "run through ctest";
  std::ifstream in(
      absl::StrCat(src, "/proto/resguardo/v1/catalogue_codes.golden"));
  ASSERT_TRUE(in) << "missing golden listing";
  std::stringstream golden;
  golden << in.rdbuf();
  // A renamed, renumbered or removed code breaks stored data and clients:
  // the golden file changes only by appending.
  EXPECT_EQ(CodeListing(), golden.str());
}

TEST(CataloguesTest, EveryValueButUnspecifiedHasSpanishAndEnglishLabels) {
  const auto* file = CataloguesFile();
  ASSERT_GE(file->enum_type_count(), 15);
  for (int e = 0; e < file->enum_type_count(); ++e) {
    const auto* en = file->enum_type(e);
    ASSERT_GE(en->value_count(), 2) << en->name();
    EXPECT_EQ(en->value(0)->number(), 0) << en->name();
    EXPECT_TRUE(absl::EndsWith(en->value(0)->name(), "_UNSPECIFIED"))
        << en->name();
    EXPECT_FALSE(en->value(0)->options().HasExtension(label)) << en->name();
    for (int v = 1; v < en->value_count(); ++v) {
      const auto* value = en->value(v);
      ASSERT_TRUE(value->options().HasExtension(label)) << value->full_name();
      const Label& l = value->options().GetExtension(label);
      EXPECT_FALSE(l.es().empty()) << value->full_name();
      EXPECT_FALSE(l.en().empty()) << value->full_name();
    }
  }
}

// The catalogue itself is named for people too (a picker of catalogues, a
// heading): the CLI's `catalogue list` and the web client show these.
TEST(CataloguesTest, EveryCatalogueHasSpanishAndEnglishLabels) {
  const auto* file = CataloguesFile();
  for (int e = 0; e < file->enum_type_count(); ++e) {
    const auto* en = file->enum_type(e);
    ASSERT_TRUE(en->options().HasExtension(catalogue_label)) << en->name();
    const Label& l = en->options().GetExtension(catalogue_label);
    EXPECT_FALSE(l.es().empty()) << en->name();
    EXPECT_FALSE(l.en().empty()) << en->name();
  }
}

TEST(CataloguesTest, ValueNamesCarryTheirEnumsPrefix) {
  const auto* file = CataloguesFile();
  for (int e = 0; e < file->enum_type_count(); ++e) {
    const auto* en = file->enum_type(e);
    // CaseKind -> CASE_KIND_
    std::string prefix;
    for (char c : en->name()) {
      if (std::isupper(static_cast<unsigned char>(c)) && !prefix.empty()) {
        prefix += '_';
      }
      prefix += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    prefix += '_';
    for (int v = 0; v < en->value_count(); ++v) {
      EXPECT_TRUE(absl::StartsWith(en->value(v)->name(), prefix))
          << en->value(v)->name() << " lacks " << prefix;
    }
  }
}

TEST(CataloguesTest, ConductsAreC01ToC22) {
  const auto* en = Conduct_descriptor();
  ASSERT_EQ(en->value_count(), 23);
  for (int i = 1; i <= 22; ++i) {
    const auto* value = en->FindValueByNumber(i);
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(value->name(), absl::StrCat("CONDUCT_C", i < 10 ? "0" : "", i));
  }
}

}  // namespace
}  // namespace resguardo::v1
