// main() of the lab test binaries: GoogleTest's own, plus a recap of every failed assertion
// at the very end. A lab binary prints minutes of progress; a CI log that keeps only its head
// and tail would otherwise lose the one message that says what went wrong (it once did, for a
// flake seen in CI only).
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <vector>

namespace {

class FailureRecap : public testing::EmptyTestEventListener {
 public:
  // The name is kept here: asking GoogleTest for the current test from OnTestPartResult
  // deadlocks on its own lock.
  void OnTestStart(const testing::TestInfo& test) override {
    current_ = std::string(test.test_suite_name()) + "." + test.name();
  }
  void OnTestEnd(const testing::TestInfo&) override { current_ = "(between tests)"; }

  void OnTestPartResult(const testing::TestPartResult& result) override {
    if (!result.failed()) return;
    std::string where = current_;
    if (result.file_name() != nullptr) where += std::string(" at ") + result.file_name() + ":" + std::to_string(result.line_number());
    // One line per failure, so that a tail of a few dozen lines holds several.
    std::string message;
    for (const char c : std::string(result.message())) message += c == '\n' ? std::string(" | ") : std::string(1, c);
    if (message.size() > kMaxMessage) message = message.substr(0, kMaxMessage) + " [...]";
    failures_.push_back(where + ": " + message);
  }

  void OnTestProgramEnd(const testing::UnitTest&) override {
    if (failures_.empty()) return;
    std::cout << "\n[ recap ] " << failures_.size() << " failed assertion(s), as printed above:\n";
    for (const std::string& failure : failures_) std::cout << "[ recap ] " << failure << "\n";
    std::cout.flush();
  }

 private:
  // Enough for an expectation and its context (under the 1,000 characters past which a
  // CI viewer folds a line); a whole HTTP body or log stays in the full log above.
  static constexpr std::size_t kMaxMessage = 700;
  std::string current_ = "(set-up)";
  std::vector<std::string> failures_;
};

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  // Owned by GoogleTest from here.
  testing::UnitTest::GetInstance()->listeners().Append(new FailureRecap);
  return RUN_ALL_TESTS();
}
