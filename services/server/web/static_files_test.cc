#include "services/server/web/static_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::server::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() + "/site";
    mkdir(root_.c_str(), 0755);
    mkdir((root_ + "/assets").c_str(), 0755);
    std::ofstream(root_ + "/index.html") << "<title>indice</title>";
    std::ofstream(root_ + "/assets/app.css") << "body{}";
    std::ofstream(root_ + "/.env") << "SECRETO";
    std::ofstream(dir_.path() + "/secret.txt") << "SECRETO";
    symlink((dir_.path() + "/secret.txt").c_str(),
            (root_ + "/link.txt").c_str());
  }
  store::testing::TempDir dir_;
  std::string root_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndPolicy) {
  StaticFiles files(root_, 1 << 20);
  HttpResponse r = files.Serve("GET", "/assets/app.css");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body{}");
  bool css = false, csp = false;
  for (const auto& [name, value] : r.headers) {
    css |= name == "Content-Type" && value == "text/css; charset=utf-8";
    csp |= name == "Content-Security-Policy" &&
           value.find("frame-ancestors 'none'") != std::string::npos;
  }
  EXPECT_TRUE(css);
  EXPECT_TRUE(csp);
  EXPECT_EQ(files.Serve("HEAD", "/assets/app.css").body, "");
}

TEST_F(StaticFilesTest, UnknownPathsAndDirectoriesGetIndex) {
  StaticFiles files(root_, 1 << 20);
  for (const char* path : {"/", "/casos/1", "/assets", "/assets/"}) {
    HttpResponse r = files.Serve("GET", path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<title>indice</title>") << path;
  }
}

TEST_F(StaticFilesTest, NeverServesOutsideTheFolderOrHiddenFiles) {
  StaticFiles files(root_, 1 << 20);
  for (const char* path :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
        "/assets/../../secret.txt", "/.env", "/%2eenv", "/link.txt",
        "/..\\secret.txt", "/%00", "/%zz",
        "/assets/%2e%2e/%2e%2e/secret.txt"}) {
    HttpResponse r = files.Serve("GET", path);
    EXPECT_THAT(r.body, Not(HasSubstr("SECRETO"))) << path;
  }
}

TEST_F(StaticFilesTest, NoFolderMeansNotFound) {
  StaticFiles files("", 1 << 20);
  EXPECT_EQ(files.Serve("GET", "/").status, 404);
}

}  // namespace
}  // namespace resguardo::server::web
