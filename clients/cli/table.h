// Plain-text tables and records for people (machines use --json).
#ifndef RESGUARDO_CLIENTS_CLI_TABLE_H_
#define RESGUARDO_CLIENTS_CLI_TABLE_H_

#include <string>
#include <utility>
#include <vector>

namespace resguardo::cli {

// Columns left-aligned by display width, two spaces apart, a rule under the
// headings. Cells are made terminal-safe. Not thread-safe.
class Table {
 public:
  explicit Table(std::vector<std::string> headings);

  // Missing cells are blank; extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  std::string Render() const;

 private:
  std::vector<std::string> headings_;
  std::vector<std::vector<std::string>> rows_;
};

// "label  value" lines with the labels aligned; values keep their newlines,
// indented under the first line. Empty values are skipped.
std::string RenderRecord(
    const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_TABLE_H_
