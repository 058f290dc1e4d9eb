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
    std::string message = result.message();
    if (message.size() > kMaxMessage) message = message.substr(0, kMaxMessage) + " [...]";
    failures_.push_back(where + "\n" + message);
  }

  void OnTestProgramEnd(const testing::UnitTest&) override {
    if (failures_.empty()) return;
    std::cout << "\n[ recap ] " << failures_.size() << " failed assertion(s), as printed above:\n";
    for (const std::string& failure : failures_) std::cout << "[ recap ] " << failure << "\n";
    std::cout.flush();
  }

 private:
  // Enough for an expectation and its context; a whole HTTP body or log goes in the full log.
  static constexpr std::size_t kMaxMessage = 1200;
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
