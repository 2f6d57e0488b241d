// FlipByte: damages a file in place, as a bad disk or an attacker would, for
// tests of what the store does with a page that fails its authentication
// check. Test-only.
#ifndef RESGUARDO_SERVICES_STORE_TESTING_FLIP_BYTE_H_
#define RESGUARDO_SERVICES_STORE_TESTING_FLIP_BYTE_H_

#include <fstream>
#include <ios>
#include <string>

namespace resguardo::store::testing {

// XORs the byte at `offset` of the file `path` with `mask` (flipping it back
// with the same arguments restores it). False if the file cannot be read or
// written there.
inline bool FlipByte(const std::string& path, std::streamoff offset,
                     char mask = 0x01) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  char byte = 0;
  if (!file.seekg(offset) || !file.read(&byte, 1)) return false;
  byte ^= mask;
  return static_cast<bool>(file.seekp(offset) && file.write(&byte, 1));
}

}  // namespace resguardo::store::testing

#endif  // RESGUARDO_SERVICES_STORE_TESTING_FLIP_BYTE_H_
