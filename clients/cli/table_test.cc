#include "clients/cli/table.h"

#include "clients/cli/terminal_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

TEST(TableTest, AlignsColumnsByDisplayWidthNotBytes) {
  Table table({"Código", "Etiqueta"});
  table.AddRow({"LOW", "Bajo"});
  table.AddRow({"CRITICAL", "Crítico"});
  EXPECT_EQ(table.Render(),
            "Código    Etiqueta\n"
            "────────  ────────\n"
            "LOW       Bajo\n"
            "CRITICAL  Crítico\n");
}

TEST(TableTest, MissingCellsAreBlankAndControlCharactersNeutralised) {
  Table table({"A", "B", "C"});
  table.AddRow({"x\x1b[2Jy", "tab\there"});
  EXPECT_EQ(table.Render(),
            "A       B         C\n"
            "──────  ────────  ─\n"
            "x [2Jy  tab here\n");
}

TEST(TableTest, RecordAlignsLabelsSkipsEmptyValuesAndIndentsLines) {
  EXPECT_EQ(RenderRecord({{"Folio", "IEEPCO-2026-000001"},
                          {"Municipio", ""},
                          {"Narrativa", "uno\ndos"}}),
            "Folio      IEEPCO-2026-000001\n"
            "Narrativa  uno\n"
            "           dos\n");
}

TEST(TerminalTextTest, WidthTruncationAndInvalidUtf8) {
  EXPECT_EQ(DisplayWidth("Crítico"), 7u);
  EXPECT_EQ(Truncate("Atención psicológica", 10), "Atención …");
  EXPECT_EQ(Truncate("corto", 10), "corto");
  EXPECT_EQ(TerminalSafe("a\xff"
                         "b\xc2\x9b"
                         "c"),
            "a?b c");
}

}  // namespace
}  // namespace resguardo::cli
