// Feeds arbitrary bytes to the signed-note parser, the checkpoint body parser
// and OpenCheckpoint with a fixed verifier. Nothing may crash, leak or read
// out of bounds; a successful parse must survive a marshal round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "crypto/checkpoint.h"
#include "crypto/signed_note.h"

namespace {

using ::resguardo::crypto::Checkpoint;
using ::resguardo::crypto::NoteVerifier;

// The key of the example in golang.org/x/mod/sumdb/note, so that corpus
// seeds can carry signatures that verify (origin "PeterNeumann").
constexpr absl::string_view kVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr absl::string_view kOrigin = "PeterNeumann";

const NoteVerifier& Verifier() {
  static const NoteVerifier* const verifier = [] {
    auto v = NoteVerifier::FromVerifierKey(kVerifierKey);
    if (!v.ok()) std::abort();
    return v->release();
  }();
  return *verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const NoteVerifier* known[] = {&Verifier()};

  (void)resguardo::crypto::OpenNote(input, known);
  (void)resguardo::crypto::OpenNote(input, {});
  (void)resguardo::crypto::NoteVerifier::FromVerifierKey(input);
  (void)resguardo::crypto::CheckNoteKeyName(input);

  auto body = resguardo::crypto::ParseCheckpointBody(input);
  if (body.ok()) {
    // Whatever parses marshals back to the same bytes.
    auto again = body->Marshal();
    if (!again.ok() || *again != input) std::abort();
  }

  auto opened = resguardo::crypto::OpenCheckpoint(input, known, kOrigin);
  if (opened.ok() && opened->origin != kOrigin) std::abort();
  return 0;
}
