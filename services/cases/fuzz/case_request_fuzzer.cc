// libFuzzer target: arbitrary bytes as a CreateCaseRequest and as an
// UpdateCaseRequest, through the validators. They must never crash, and a
// request they accept must satisfy the invariants the store relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/time/civil_time.h"
#include "resguardo/v1/case_service.pb.h"
#include "services/api/resource_names.h"
#include "services/cases/case_validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::CivilDay today(2026, 11, 22);
  resguardo::v1::CreateCaseRequest create;
  if (create.ParseFromArray(data, static_cast<int>(size))) {
    if (resguardo::cases::ValidateCreateCase(create, today).ok()) {
      // Accepted requests name a well-formed parent and carry a victim name.
      if (!resguardo::api::ParseInstitutionName(create.parent()) ||
          create.case_record().personal_data().victim_name().empty()) {
        std::abort();
      }
    }
  }
  resguardo::v1::UpdateCaseRequest update;
  if (update.ParseFromArray(data, static_cast<int>(size))) {
    if (resguardo::cases::ValidateUpdateCase(update, today).ok() &&
        (update.update_mask().paths_size() == 0 ||
         update.case_record().etag().empty())) {
      std::abort();
    }
  }
  return 0;
}
