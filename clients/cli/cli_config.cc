#include "clients/cli/cli_config.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cli/messages.h"

namespace resguardo::cli {
namespace {

std::string Resolve(absl::string_view base_dir, absl::string_view path) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) {
    return std::string(path);
  }
  if (absl::StartsWith(path, "~/")) return std::string(path);
  return absl::StrCat(base_dir, "/", path);
}

std::string DirOf(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos) return ".";
  return std::string(path.substr(0, slash == 0 ? 1 : slash));
}

}  // namespace

absl::StatusOr<absl::Duration> ParseDeadline(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  absl::Duration d;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(text, &seconds)) {
    d = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(text, &d)) {
    return absl::InvalidArgumentError("not a duration");
  }
  if (d <= absl::ZeroDuration() || d > absl::Hours(1)) {
    return absl::InvalidArgumentError("out of range");
  }
  return d;
}

absl::StatusOr<CliConfig> ParseConfigText(absl::string_view text,
                                          absl::string_view base_dir,
                                          Lang lang) {
  CliConfig config;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    if (const size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          Msg(lang, MsgId::kErrConfigLineSyntax, line_no));
    }
    const std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
    const std::string value(absl::StripAsciiWhitespace(line.substr(eq + 1)));
    if (key == "server") {
      config.server = value;
    } else if (key == "ca") {
      config.ca_file = Resolve(base_dir, value);
    } else if (key == "cert") {
      config.cert_file = Resolve(base_dir, value);
    } else if (key == "key") {
      config.key_file = Resolve(base_dir, value);
    } else if (key == "server_name") {
      config.server_name = value;
    } else if (key == "institution") {
      config.institution = value;
    } else if (key == "deadline") {
      absl::StatusOr<absl::Duration> d = ParseDeadline(value);
      if (!d.ok()) {
        return absl::InvalidArgumentError(
            Msg(lang, MsgId::kErrConfigBadValue, line_no, key));
      }
      config.deadline = *d;
    } else {
      return absl::InvalidArgumentError(
          Msg(lang, MsgId::kErrConfigUnknownKey, line_no, key));
    }
  }
  return config;
}

std::optional<ConfigLocation> LocateConfig(const ParsedFlags& flags,
                                           const GetEnvFn& getenv) {
  if (std::optional<std::string> flag = flags.Get("config")) {
    return ConfigLocation{*flag, true};
  }
  if (const char* env = getenv("RESGUARDO_CONFIG"); env && *env) {
    return ConfigLocation{env, true};
  }
  if (const char* xdg = getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return ConfigLocation{absl::StrCat(xdg, "/resguardo/cli.conf"), false};
  }
  if (const char* home = getenv("HOME"); home && *home) {
    return ConfigLocation{absl::StrCat(home, "/.config/resguardo/cli.conf"),
                          false};
  }
  return std::nullopt;
}

absl::StatusOr<CliConfig> ResolveConfig(const ParsedFlags& flags,
                                        const GetEnvFn& getenv, Lang lang) {
  CliConfig config;
  if (std::optional<ConfigLocation> where = LocateConfig(flags, getenv)) {
    std::ifstream in(where->path);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      absl::StatusOr<CliConfig> parsed =
          ParseConfigText(text.str(), DirOf(where->path), lang);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where->path, ": ", parsed.status().message()));
      }
      config = *std::move(parsed);
    } else if (where->explicit_choice) {
      return absl::NotFoundError(
          Msg(lang, MsgId::kErrConfigUnreadable, where->path));
    }
  }
  if (auto v = flags.Get("server")) config.server = *v;
  if (auto v = flags.Get("ca")) config.ca_file = *v;
  if (auto v = flags.Get("cert")) config.cert_file = *v;
  if (auto v = flags.Get("key")) config.key_file = *v;
  if (auto v = flags.Get("server-name")) config.server_name = *v;
  if (auto v = flags.Get("institution")) config.institution = *v;
  if (auto v = flags.Get("deadline")) {
    absl::StatusOr<absl::Duration> d = ParseDeadline(*v);
    if (!d.ok()) {
      return absl::InvalidArgumentError(Msg(lang, MsgId::kErrBadFlagValue,
                                            "--deadline",
                                            Text(lang, MsgId::kHintDuration)));
    }
    config.deadline = *d;
  }
  return config;
}

}  // namespace resguardo::cli
