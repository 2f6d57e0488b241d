#include "proto/resguardo/v1/stats_catalogue.h"

#include "google/protobuf/descriptor.h"
#include "resguardo/v1/catalogues.pb.h"
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

}  // namespace resguardo
