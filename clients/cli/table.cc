#include "clients/cli/table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cli/terminal_text.h"

namespace resguardo::cli {
namespace {

void AppendPadded(std::string* out, const std::string& text, size_t width) {
  out->append(text);
  out->append(width - std::min(width, DisplayWidth(text)), ' ');
}

// Trailing blanks are invisible but break `diff` and tests.
void TrimRight(std::string* line) {
  while (!line->empty() && line->back() == ' ') line->pop_back();
}

}  // namespace

Table::Table(std::vector<std::string> headings) {
  for (std::string& h : headings) headings_.push_back(TerminalSafe(h));
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headings_.size());
  for (std::string& cell : cells) cell = TerminalSafe(cell);
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<size_t> widths;
  for (const std::string& h : headings_) widths.push_back(DisplayWidth(h));
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line.append("  ");
      AppendPadded(&line, cells[c], widths[c]);
    }
    TrimRight(&line);
    absl::StrAppend(&out, line, "\n");
  };
  emit(headings_);
  std::vector<std::string> rules;
  for (size_t w : widths) {
    std::string rule;
    for (size_t i = 0; i < w; ++i) rule.append("─");
    rules.push_back(rule);
  }
  emit(rules);
  for (const auto& row : rows_) emit(row);
  return out;
}

std::string RenderRecord(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t width = 0;
  for (const auto& [label, value] : fields) {
    if (!value.empty()) width = std::max(width, DisplayWidth(label));
  }
  std::string out;
  for (const auto& [label, value] : fields) {
    if (value.empty()) continue;
    std::string line;
    AppendPadded(&line, TerminalSafe(label), width);
    line.append("  ");
    bool first = true;
    for (absl::string_view part :
         absl::StrSplit(TerminalSafeMultiline(value), '\n')) {
      if (!first) {
        TrimRight(&line);
        absl::StrAppend(&out, line, "\n");
        line.assign(width + 2, ' ');
      }
      line.append(part.data(), part.size());
      first = false;
    }
    TrimRight(&line);
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace resguardo::cli
