#include "services/server/tls_policy.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "openssl/bio.h"
#include "openssl/conf.h"
#include "openssl/crypto.h"
#include "openssl/err.h"
#include "openssl/ssl.h"

namespace resguardo::server {
namespace {

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct ConfDeleter {
  void operator()(CONF* conf) const { NCONF_free(conf); }
};
struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
using ConfPtr = std::unique_ptr<CONF, ConfDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// Every version below TLS 1.3, as SSL_OP_NO_* options.
constexpr uint64_t kNoBelowTls13 =
    SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2;

// The floor's commands. The "resguardo." prefix keeps them from replacing a
// system command of the same name (ssl_conf drops everything up to the
// first dot of a command's name), so they run after the system's own.
constexpr char kFloorCommands[] =
    "resguardo.MinProtocol = TLSv1.3\n"
    "resguardo.Protocol = -SSLv3, -TLSv1, -TLSv1.1, -TLSv1.2\n";
// For a system without a system_default section: a command that leaves
// OpenSSL's built-in defaults as they are (a section may not be empty).
constexpr char kNeutralCommand[] = "resguardo.MaxProtocol = None\n";

constexpr char kSystemDefault[] = "system_default";

// OpenSSL's error queue as text (it names files, lines and settings, never
// key material), emptied.
std::string DrainOpenSslErrors() {
  std::vector<std::string> errors;
  while (unsigned long e = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(e, text, sizeof(text));
    errors.emplace_back(text);
  }
  return errors.empty() ? "no OpenSSL error" : absl::StrJoin(errors, "; ");
}

// What a new SSL_CTX of this process gets from the configuration.
struct ContextPolicy {
  int security_level = 0;
  uint64_t options = 0;
  long min_version = 0;
  long max_version = 0;
  int verify_mode = 0;
  std::string ciphers;
};

absl::StatusOr<ContextPolicy> CurrentPolicy() {
  SslCtxPtr ctx(SSL_CTX_new(TLS_method()));
  if (ctx == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tls: OpenSSL cannot create a TLS context: ", DrainOpenSslErrors()));
  }
  ContextPolicy policy;
  policy.security_level = SSL_CTX_get_security_level(ctx.get());
  policy.options = SSL_CTX_get_options(ctx.get());
  policy.min_version = SSL_CTX_get_min_proto_version(ctx.get());
  policy.max_version = SSL_CTX_get_max_proto_version(ctx.get());
  policy.verify_mode = SSL_CTX_get_verify_mode(ctx.get());
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(ctx.get());
  std::vector<std::string> names;
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    names.emplace_back(SSL_CIPHER_get_name(sk_SSL_CIPHER_value(ciphers, i)));
  }
  policy.ciphers = absl::StrJoin(names, ":");
  return policy;
}

// The first setting in which `got` differs from `want` (ignoring the
// options in `allowed_options` and the minimum version if
// `ignore_min_version`), or empty.
std::string Difference(const ContextPolicy& want, const ContextPolicy& got,
                       uint64_t allowed_options, bool ignore_min_version) {
  if (got.security_level != want.security_level) return "security level";
  if ((got.options & ~allowed_options) != (want.options & ~allowed_options)) {
    return "options";
  }
  if (!ignore_min_version && got.min_version != want.min_version) {
    return "minimum protocol version";
  }
  if (got.max_version != want.max_version) return "maximum protocol version";
  if (got.verify_mode != want.verify_mode) return "verify mode";
  if (got.ciphers != want.ciphers) return "cipher list";
  return "";
}

// One ssl_conf section: its name in the ssl_conf module's section (e.g.
// "system_default") and its commands, in order.
struct SslSection {
  std::string name;
  std::vector<std::pair<std::string, std::string>> commands;
};

bool IsPlainName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '-')) {
      return false;
    }
  }
  return true;
}

// The ssl_conf sections of the configuration file at `path`, as OpenSSL's
// default loading reads them (the openssl_conf section of the default
// section; the last ssl_conf module line wins). Empty if the file does not
// exist or configures no ssl_conf.
absl::StatusOr<std::vector<SslSection>> ReadSslSections(
    const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::vector<SslSection>();
    return absl::FailedPreconditionError(
        absl::StrCat("tls: cannot read the OpenSSL configuration file ", path,
                     ": ", std::strerror(errno)));
  }
  ConfPtr conf(NCONF_new_ex(nullptr, nullptr));
  long line = 0;
  if (conf == nullptr || NCONF_load(conf.get(), path.c_str(), &line) <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tls: the OpenSSL configuration file ", path, " does not parse (line ",
        line, "): ", DrainOpenSslErrors()));
  }
  std::vector<SslSection> sections;
  const char* init = NCONF_get_string(conf.get(), nullptr, "openssl_conf");
  STACK_OF(CONF_VALUE)* modules =
      init == nullptr ? nullptr : NCONF_get_section(conf.get(), init);
  ERR_clear_error();  // a missing value or section leaves an error behind
  const char* ssl_conf = nullptr;
  for (int i = 0; i < sk_CONF_VALUE_num(modules); ++i) {
    CONF_VALUE* module = sk_CONF_VALUE_value(modules, i);
    absl::string_view name = module->name;
    // A module line may carry a suffix after its last dot (ssl_conf.2).
    if (size_t dot = name.rfind('.'); dot != absl::string_view::npos) {
      name = name.substr(0, dot);
    }
    if (name == "ssl_conf") ssl_conf = module->value;
  }
  if (ssl_conf == nullptr) return sections;
  STACK_OF(CONF_VALUE)* names = NCONF_get_section(conf.get(), ssl_conf);
  ERR_clear_error();
  if (sk_CONF_VALUE_num(names) <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tls: the OpenSSL configuration file ", path,
        " names an ssl_conf section [", ssl_conf,
        "] that is missing or empty (OpenSSL then ignores the whole ssl_conf "
        "module); fix the file"));
  }
  for (int i = 0; i < sk_CONF_VALUE_num(names); ++i) {
    CONF_VALUE* entry = sk_CONF_VALUE_value(names, i);
    STACK_OF(CONF_VALUE)* commands =
        NCONF_get_section(conf.get(), entry->value);
    ERR_clear_error();
    if (!IsPlainName(entry->name) || sk_CONF_VALUE_num(commands) <= 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("tls: the OpenSSL configuration file ", path,
                       " has an ssl_conf "
                       "entry whose name is unusual or whose section [",
                       entry->value, "] is missing or empty; fix the file"));
    }
    SslSection section;
    section.name = entry->name;
    for (int j = 0; j < sk_CONF_VALUE_num(commands); ++j) {
      CONF_VALUE* command = sk_CONF_VALUE_value(commands, j);
      if (!IsPlainName(command->name)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "tls: the OpenSSL configuration file ", path,
            " has an ssl_conf command with an unusual name in section [",
            entry->value, "]"));
      }
      section.commands.emplace_back(command->name, command->value);
    }
    sections.push_back(std::move(section));
  }
  return sections;
}

// `value` written so that OpenSSL's configuration parser reads it back as
// it is (no variable expansion, no comment, no quote processing).
std::string EscapeValue(absl::string_view value) {
  std::string out;
  for (char c : value) {
    switch (c) {
      case '\\':
      case '"':
      case '\'':
      case '#':
      case '$':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// A configuration with `sections` as its ssl_conf module, and the floor
// appended to system_default if `with_floor`.
std::string ConfigText(const std::vector<SslSection>& sections,
                       bool with_floor) {
  std::string names = absl::StrCat("[resguardo_ssl_conf]\n", kSystemDefault,
                                   " = resguardo_ssl_system_default\n");
  std::string bodies = "[resguardo_ssl_system_default]\n";
  bool system_default_seen = false;
  for (const SslSection& section : sections) {
    if (section.name != kSystemDefault) continue;
    system_default_seen = true;
    for (const auto& [name, value] : section.commands) {
      absl::StrAppend(&bodies, name, " = ", EscapeValue(value), "\n");
    }
  }
  if (!system_default_seen) absl::StrAppend(&bodies, kNeutralCommand);
  if (with_floor) absl::StrAppend(&bodies, kFloorCommands);
  int n = 0;
  for (const SslSection& section : sections) {
    if (section.name == kSystemDefault) continue;
    std::string id = absl::StrCat("resguardo_ssl_", n++);
    absl::StrAppend(&names, section.name, " = ", id, "\n");
    absl::StrAppend(&bodies, "[", id, "]\n");
    for (const auto& [name, value] : section.commands) {
      absl::StrAppend(&bodies, name, " = ", EscapeValue(value), "\n");
    }
  }
  return absl::StrCat(
      "openssl_conf = resguardo_openssl_init\n"
      "[resguardo_openssl_init]\n"
      "ssl_conf = resguardo_ssl_conf\n",
      names, bodies);
}

// Loads `text` into OpenSSL's default library context; its ssl_conf module
// replaces whatever ssl_conf was loaded before.
absl::Status LoadConfig(const std::string& text) {
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  ConfPtr conf(NCONF_new_ex(nullptr, nullptr));
  long line = 0;
  if (bio == nullptr || conf == nullptr ||
      NCONF_load_bio(conf.get(), bio.get(), &line) <= 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("tls: the TLS policy does not parse (line ", line,
                     "): ", DrainOpenSslErrors()));
  }
  if (CONF_modules_load(conf.get(), nullptr, CONF_MFLAGS_NO_DSO) <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tls: OpenSSL refused the TLS policy: ", DrainOpenSslErrors()));
  }
  return absl::OkStatus();
}

absl::StatusOr<TlsPolicyReport> Install(const std::string& path,
                                        bool compare_with_loaded) {
  // OpenSSL loads its default configuration once per process; do it now, so
  // that a later first use cannot load it over the floor.
  if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, nullptr) != 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tls: OpenSSL did not initialise: ", DrainOpenSslErrors()));
  }
  ASSIGN_OR_RETURN(const ContextPolicy loaded, CurrentPolicy());
  ASSIGN_OR_RETURN(const std::vector<SslSection> sections,
                   ReadSslSections(path));

  RETURN_IF_ERROR(LoadConfig(ConfigText(sections, /*with_floor=*/false)));
  ASSIGN_OR_RETURN(const ContextPolicy system, CurrentPolicy());
  if (compare_with_loaded) {
    std::string differs = Difference(loaded, system, 0, false);
    if (!differs.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "tls: the system TLS settings of ", path,
          " could not be carried over faithfully (the ", differs,
          " differs from what OpenSSL loaded); refusing to serve with "
          "settings other than the system's"));
    }
  }
  if (system.max_version != 0 && system.max_version < TLS1_3_VERSION) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tls: the system TLS settings of ", path,
        " cap the protocol below TLS 1.3, which the node requires"));
  }
  if ((system.options & SSL_OP_NO_TLSv1_3) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("tls: the system TLS settings of ", path,
                     " disable TLS 1.3, which the node requires"));
  }

  RETURN_IF_ERROR(LoadConfig(ConfigText(sections, /*with_floor=*/true)));
  ASSIGN_OR_RETURN(const ContextPolicy floor, CurrentPolicy());
  std::string differs = Difference(system, floor, kNoBelowTls13, true);
  if (!differs.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("tls: adding the TLS 1.3 floor changed the ", differs,
                     " of the system TLS settings; refusing to serve"));
  }
  if (floor.min_version != TLS1_3_VERSION) {
    return absl::FailedPreconditionError(
        "tls: OpenSSL did not apply MinProtocol = TLSv1.3");
  }
  RETURN_IF_ERROR(CheckTls13Only());
  TlsPolicyReport report;
  report.system_config_file = path;
  for (const SslSection& section : sections) {
    if (section.name == kSystemDefault) report.system_section_kept = true;
  }
  return report;
}

}  // namespace

absl::StatusOr<TlsPolicyReport> InstallTls13Only() {
  char* file = CONF_get1_default_config_file();
  if (file == nullptr) {
    return absl::FailedPreconditionError(
        "tls: OpenSSL names no default configuration file");
  }
  std::string path(file);
  OPENSSL_free(file);
  return Install(path, /*compare_with_loaded=*/true);
}

absl::StatusOr<TlsPolicyReport> InstallTls13Only(
    absl::string_view system_config_file) {
  return Install(std::string(system_config_file),
                 /*compare_with_loaded=*/false);
}

absl::Status CheckTls13Only() {
  SslCtxPtr ctx(SSL_CTX_new(TLS_method()));
  if (ctx == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tls: OpenSSL cannot create a TLS context: ", DrainOpenSslErrors()));
  }
  // What gRPC 1.51 does to each context it makes.
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION);
  const uint64_t options = SSL_CTX_get_options(ctx.get());
  if ((options & kNoBelowTls13) != kNoBelowTls13 ||
      (options & SSL_OP_NO_TLSv1_3) != 0) {
    return absl::FailedPreconditionError(
        "tls: this process would accept TLS versions below 1.3 (the TLS 1.3 "
        "floor is not installed; resguardod installs it at the start of "
        "`serve`)");
  }
  return absl::OkStatus();
}

}  // namespace resguardo::server
