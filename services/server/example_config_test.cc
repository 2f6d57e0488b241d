// The packaged example configuration (deploy/debian/node.textproto, installed
// as /etc/resguardo/node.textproto): it must load as it is, and it must write
// every field of NodeConfig, so that an administrator who reads it sees every
// setting the node has. A field added to node_config.proto without an entry
// in the example fails here.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/server/config_loader.h"

namespace resguardo::server {
namespace {

using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

std::string ExampleText() {
  const char* src = std::getenv("RESGUARDO_SOURCE_DIR");
  const std::string path =
      absl::StrCat(src ? src : ".", "/deploy/debian/node.textproto");
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Appends to `missing` the path of every field of `m` (recursively) that the
// text did not set.
void CollectUnset(const Message& m, const std::string& prefix,
                  std::vector<std::string>& missing) {
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < m.GetDescriptor()->field_count(); ++i) {
    const FieldDescriptor* f = m.GetDescriptor()->field(i);
    const std::string path = absl::StrCat(prefix, f->name());
    if (f->is_repeated()) {
      if (r->FieldSize(m, f) == 0) {
        missing.push_back(path);
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        CollectUnset(r->GetRepeatedMessage(m, f, 0), path + ".", missing);
      }
      continue;
    }
    // Fields without presence (proto3 scalars) count as written when their
    // value is not the default; a boolean false is written on purpose.
    const bool set = (f->cpp_type() == FieldDescriptor::CPPTYPE_BOOL &&
                      !f->has_presence()) ||
                     r->HasField(m, f);
    if (!set) {
      missing.push_back(path);
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CollectUnset(r->GetMessage(m, f), path + ".", missing);
    }
  }
}

TEST(ExampleConfigTest, LoadsAsItIs) {
  const std::string text = ExampleText();
  auto config =
      ParseNodeConfig(text, "deploy/debian/node.textproto", "/etc/resguardo");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->data_dir(), "/var/lib/resguardo");
  EXPECT_FALSE(config->master_key().create_for_development());
}

TEST(ExampleConfigTest, WritesEveryField) {
  config::v1::NodeConfig parsed;
  ASSERT_TRUE(
      google::protobuf::TextFormat::ParseFromString(ExampleText(), &parsed));
  std::vector<std::string> missing;
  CollectUnset(parsed, "", missing);
  EXPECT_TRUE(missing.empty())
      << "not in the example: " << ::testing::PrintToString(missing);
}

}  // namespace
}  // namespace resguardo::server
