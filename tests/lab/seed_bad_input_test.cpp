// Every kind of bad request of the API contract gets its exact status with a JSON error, from
// an app server, and stores nothing; the limits' valid edges (multibyte text) are accepted.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>

#include "tests/lab/lab_client.h"

namespace foobar::lab_test {
namespace {

using nlohmann::json;

struct BadRequest {
  std::string name;  // test name suffix
  std::string method;
  std::string path;  // with query; "{missing}" is replaced by an id that does not exist
  std::string content_type;
  std::string body;
  int expected_status = 0;
};

// gtest prints a failing case's parameter: its name says enough (bodies run to 17 KiB).
void PrintTo(const BadRequest& request, std::ostream* out) { *out << request.name; }

std::string Repeat(const std::string& unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

std::string MessageJson(const std::string& author, const std::string& body) {
  return json{{"author", author}, {"body", body}}.dump();
}

// Raw JSON around raw bytes: nlohmann would refuse to write invalid UTF-8.
std::string RawMessage(const std::string& author_bytes, const std::string& body_bytes) {
  return R"({"author":")" + author_bytes + R"(","body":")" + body_bytes + R"("})";
}

BadRequest Post(std::string name, std::string body, int status,
                std::string content_type = "application/json") {
  return {.name = std::move(name),
          .method = "POST",
          .path = "/api/messages",
          .content_type = std::move(content_type),
          .body = std::move(body),
          .expected_status = status};
}

BadRequest Get(std::string name, std::string path, int status) {
  return {.name = std::move(name),
          .method = "GET",
          .path = std::move(path),
          .content_type = "",
          .body = "",
          .expected_status = status};
}

std::vector<BadRequest> BadRequests() {
  return {
      Post("InvalidJson", R"({"author": "lab", "body": )", 400),
      Post("EmptyRequestBody", "", 400),
      Post("ArrayInsteadOfObject", "[" + MessageJson("lab", "hi") + "]", 400),
      Post("MissingAuthor", R"({"body": "hi"})", 400),
      Post("MissingBody", R"({"author": "lab"})", 400),
      Post("EmptyAuthor", MessageJson("", "hi"), 400),
      Post("EmptyBody", MessageJson("lab", ""), 400),
      Post("AuthorOf65Chars", MessageJson(Repeat("a", 65), "hi"), 400),
      Post("AuthorOf65MultibyteChars", MessageJson(Repeat("ß", 65), "hi"), 400),
      Post("BodyOf2001Chars", MessageJson("lab", Repeat("b", 2001)), 400),
      Post("BodyOf2001MultibyteChars", MessageJson("lab", Repeat("€", 2001)), 400),
      Post("InvalidUtf8Bytes", RawMessage("lab", "bad \xff\xfe bytes"), 400),
      Post("TruncatedUtf8Sequence", RawMessage("lab", "cut \xe2\x82"), 400),
      Post("OverlongUtf8Encoding", RawMessage("lab", "overlong \xc0\xaf"), 400),
      Post("Utf8EncodedSurrogate", RawMessage("lab", "surrogate \xed\xa0\x80"), 400),
      Post("InvalidUtf8InAuthor", RawMessage("lab\xff", "hi"), 400),
      Post("NumberInsteadOfString", R"({"author": 42, "body": "hi"})", 400),
      Post("NullBody", R"({"author": "lab", "body": null})", 400),
      Post("UnknownExtraField", R"({"author": "lab", "body": "hi", "extra": 1})", 400),
      Post("BodyOver16KiB", MessageJson("lab", Repeat("x", 17 * 1024)), 413),
      Post("TextPlain", MessageJson("lab", "hi"), 415, "text/plain"),
      Post("FormUrlEncoded", MessageJson("lab", "hi"), 415, "application/x-www-form-urlencoded"),
      Get("IdZero", "/api/messages/0", 400),
      Get("IdNegative", "/api/messages/-1", 400),
      Get("IdNotANumber", "/api/messages/abc", 400),
      Get("IdBeyond64Bits", "/api/messages/99999999999999999999", 400),
      Get("IdNotFound", "/api/messages/{missing}", 404),
      Get("LimitZero", "/api/messages?limit=0", 400),
      Get("Limit101", "/api/messages?limit=101", 400),
      Get("LimitNotANumber", "/api/messages?limit=x", 400),
      Get("UnknownApiPath", "/api/nope", 404),
      {.name = "DeleteMessages",
       .method = "DELETE",
       .path = "/api/messages",
       .content_type = "",
       .body = "",
       .expected_status = 405},
  };
}

// An id above every stored one (ids only grow), as a decimal string.
std::string MissingId() {
  const auto primaries = HostsRunning("mariadb");
  const CommandResult result =
      Foobar({"sql", primaries.empty() ? "" : primaries.front(),
              "SELECT COALESCE(MAX(id), 0) + 1000000 FROM foobar.messages"});
  EXPECT_TRUE(result.ok()) << Describe(result);
  return TrimRight(result.out);
}

HttpResponse Send(const BadRequest& request) {
  std::string path = request.path;
  if (const size_t at = path.find("{missing}"); at != std::string::npos)
    path.replace(at, 9, MissingId());
  std::vector<std::string> args = {"-X", request.method};
  if (!request.content_type.empty())
    args.insert(args.end(), {"-H", "Content-Type: " + request.content_type});
  if (request.method == "POST") args.insert(args.end(), {"--data-binary", "@-"});
  args.push_back(std::string(kSiteUrl) + path);
  return Curl("client", args, request.body);
}

class BadRequestTest : public testing::TestWithParam<BadRequest> {};

TEST_P(BadRequestTest, GetsItsStatusWithJsonErrorAndStoresNothing) {
  const BadRequest& request = GetParam();
  const long long before = MessageCount();
  const HttpResponse response = Send(request);
  const long long after = MessageCount();

  EXPECT_EQ(response.status, request.expected_status) << response.Describe();
  EXPECT_EQ(response.Header("content-type").rfind("application/json", 0), 0u)
      << response.Describe();
  const json error = JsonBody(response);
  EXPECT_TRUE(error.is_object() && error.contains("error") && error["error"].is_string() &&
              !error["error"].get<std::string>().empty())
      << "no {\"error\": \"...\"}: " << response.Describe();
  EXPECT_TRUE(ServedByAppServer(response))
      << "no X-Served-By of an app server: " << response.Describe();
  EXPECT_EQ(after, before) << "a rejected request changed the number of stored messages";
}

std::string CaseName(const testing::TestParamInfo<BadRequest>& param_info) {
  return param_info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Api, BadRequestTest, testing::ValuesIn(BadRequests()), CaseName);

// The edges of the limits are inside them: lengths count characters, not bytes.
TEST(ValidInput, LongestMultibyteAuthorAndBodyAreStoredIntact) {
  // 64 characters of author, 2000 of body, mixing 2-, 3- and 4-byte UTF-8 sequences.
  const std::string unique = UniqueText("edge");  // ASCII, one byte per character
  const std::string author = unique + Repeat("ß", 64 - static_cast<int>(unique.size()));
  const std::string body = unique + Repeat("€😀", (2000 - static_cast<int>(unique.size())) / 2) +
                           ((2000 - unique.size()) % 2 ? "é" : "");

  const long long before = MessageCount();
  const HttpResponse posted = PostFromClient("/api/messages", MessageJson(author, body));
  ASSERT_EQ(posted.status, 201) << posted.Describe();
  EXPECT_EQ(MessageCount(), before + 1);
  const json message = JsonBody(posted);
  ASSERT_TRUE(message.is_object() && message.contains("id")) << posted.Describe();
  EXPECT_EQ(message.value("author", std::string()), author);
  EXPECT_EQ(message.value("body", std::string()), body);

  const HttpResponse read =
      Curl("client", {std::string(kSiteUrl) + "/api/messages/" + message["id"].dump()});
  ASSERT_EQ(read.status, 200) << read.Describe();
  EXPECT_EQ(JsonBody(read).value("body", std::string()), body) << "stored text differs";
}

TEST(ValidInput, ShortestAuthorAndBodyAreAccepted) {
  const long long before = MessageCount();
  const HttpResponse posted = PostFromClient("/api/messages", MessageJson("a", "b"));
  EXPECT_EQ(posted.status, 201) << posted.Describe();
  EXPECT_EQ(MessageCount(), before + 1);
}

}  // namespace
}  // namespace foobar::lab_test
