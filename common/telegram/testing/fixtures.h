// The golden Bot API JSON of tests/fixtures/botapi/, for tests. The test target defines
// SUBGUARD_FIXTURES_DIR (see common/telegram/CMakeLists.txt).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace subguard::telegram::testing {

// The fixture's text; "" when it cannot be read (the test then fails on its content).
inline std::string ReadFixture(std::string_view name) {
  std::ifstream in(std::string(SUBGUARD_FIXTURES_DIR) + "/" + std::string(name));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace subguard::telegram::testing
