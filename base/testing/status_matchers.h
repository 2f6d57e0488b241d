// GoogleTest matchers for absl::Status and absl::StatusOr<T>, which Debian's
// Abseil does not ship.
//
//   EXPECT_THAT(aead->Decrypt(c, ad),
//               StatusIs(absl::StatusCode::kInvalidArgument,
//                        HasSubstr("ciphertext")));
//   EXPECT_THAT(f(), IsOk());
//   ASSERT_OK_AND_ASSIGN(auto v, g());
#ifndef RESGUARDO_BASE_TESTING_STATUS_MATCHERS_H_
#define RESGUARDO_BASE_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::testing {
namespace internal {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace internal

MATCHER(IsOk, "is OK") {
  const absl::Status& s = internal::GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s;
  return s.ok();
}

MATCHER_P2(StatusIs, code, message_matcher,
           "has code " + ::testing::PrintToString(absl::StatusCode(code))) {
  const absl::Status& s = internal::GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         ::testing::Matches(message_matcher)(std::string(s.message()));
}

// StatusIs(code): any message.
inline auto StatusIs(absl::StatusCode code) {
  return StatusIs(code, ::testing::_);
}

}  // namespace resguardo::testing

#define RESGUARDO_TESTING_CONCAT_INNER_(a, b) a##b
#define RESGUARDO_TESTING_CONCAT_(a, b) RESGUARDO_TESTING_CONCAT_INNER_(a, b)

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::resguardo::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::resguardo::testing::IsOk())

#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  RESGUARDO_ASSERT_OK_AND_ASSIGN_IMPL_(  \
      RESGUARDO_TESTING_CONCAT_(resguardo_statusor_, __LINE__), lhs, rexpr)

#define RESGUARDO_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                         \
  ASSERT_TRUE(statusor.ok()) << statusor.status();                 \
  lhs = std::move(statusor).value()

#endif  // RESGUARDO_BASE_TESTING_STATUS_MATCHERS_H_
