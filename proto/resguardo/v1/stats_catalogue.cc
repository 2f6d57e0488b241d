#include "proto/resguardo/v1/stats_catalogue.h"

#include <map>

#include "google/protobuf/descriptor.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/labels.pb.h"
#include "resguardo/v1/referral_service.pb.h"
#include "resguardo/v1/stats_options.pb.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo {
namespace {

// The files that define the catalogues the option names (catalogues.proto,
// and referral_service.proto for the referrals' outcome and status). Naming
// one of their descriptors here links their generated code, and so registers
// their enums in the generated pool, in every program that reads the option:
// a program that used nothing else of referral_service.proto would find no
// ReferralStatus by name.
void LinkCatalogueFiles() {
  static const google::protobuf::FileDescriptor* const files[] = {
      v1::CaseKind_descriptor()->file(),
      v1::ReferralStatus_descriptor()->file()};
  (void)files;
}

}  // namespace

const google::protobuf::EnumDescriptor* StatsDimensionCatalogue(int dimension) {
  LinkCatalogueFiles();
  const google::protobuf::EnumValueDescriptor* value =
      v1::StatsDimension_descriptor()->FindValueByNumber(dimension);
  if (value == nullptr || !value->options().HasExtension(v1::stats_catalogue)) {
    return nullptr;
  }
  return google::protobuf::DescriptorPool::generated_pool()->FindEnumTypeByName(
      value->options().GetExtension(v1::stats_catalogue));
}

const std::vector<std::string>& StatsDimensionBuckets(int dimension) {
  // Built once: descriptors never change.
  static const auto* const buckets = [] {
    auto* out = new std::map<int, std::vector<std::string>>;
    const auto* dimensions = v1::StatsDimension_descriptor();
    for (int i = 0; i < dimensions->value_count(); ++i) {
      const google::protobuf::EnumValueOptions& o =
          dimensions->value(i)->options();
      for (int j = 0; j < o.ExtensionSize(v1::stats_bucket); ++j) {
        (*out)[dimensions->value(i)->number()].push_back(
            o.GetExtension(v1::stats_bucket, j));
      }
    }
    return out;
  }();
  static const std::vector<std::string>* const none =
      new std::vector<std::string>;
  auto it = buckets->find(dimension);
  return it == buckets->end() ? *none : it->second;
}

const v1::Label* StatsDimensionUnrecordedLabel(int dimension) {
  const google::protobuf::EnumValueDescriptor* value =
      v1::StatsDimension_descriptor()->FindValueByNumber(dimension);
  if (value == nullptr ||
      !value->options().HasExtension(v1::stats_unrecorded_label)) {
    return nullptr;
  }
  return &value->options().GetExtension(v1::stats_unrecorded_label);
}

}  // namespace resguardo
