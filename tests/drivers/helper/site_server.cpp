// A stand-in SMS 2003 site server being upgraded by `Update.exe /quiet`, for
// the end-to-end test of the shell driver: it writes SMSSetup.log and the
// component logs (sitecomp, hman, inboxmgr) line by line, in real time but
// accelerated (a 31-minute virtual span in --wall-ms of wall time), with
// timestamps advanced accordingly. Like the real setup, the process returns
// when setup has done its part ("SMS Setup completed successfully"); the site
// services go on reinstalling components in a child that outlives it.
//
//   site-server --root DIR [--install-dir 'C:\SMS'] [--wall-ms 2000] [--fail]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Line {
  double minute;     // virtual minutes after setup began
  const char* file;  // "setup" or a component log name
  const char* component;
  std::string text;
};

std::vector<Line> script(const std::string& install_dir, bool fail) {
  std::string box = install_dir + "\\inboxes\\";
  std::vector<Line> s = {
      {0.0, "setup", "", "SMS Setup Started...."},
      {0.1, "setup", "", "Command line: Update.exe /quiet"},
      {0.5, "sitecomp", "SMS_SITE_COMPONENT_MANAGER", "Component SMS_SITE_BACKUP is running."},
      {1.0, "setup", "", "Setup is upgrading the SMS site database."},
      {4.0, "setup", "", "Site database upgraded to SMS 2003 SP2."},
      {6.0, "setup", "", "Installing SMS files to " + install_dir},
  };
  if (fail) {
    s.push_back({8.0, "setup", "", "Setup failed to upgrade the site. Error 1603."});
    return s;
  }
  std::vector<Line> rest = {
      {9.0, "setup", "", "SMS Setup completed successfully"},
      {10.0, "sitecomp", "SMS_SITE_COMPONENT_MANAGER", "Processing site shutdown transaction"},
      {10.5, "hman", "SMS_HIERARCHY_MANAGER", "Processing site control file: Site CEN"},
      {12.0, "sitecomp", "SMS_SITE_COMPONENT_MANAGER", "Site shutdown complete."},
      {18.0, "sitecomp", "SMS_SITE_COMPONENT_MANAGER", "Installing component SMS_INBOX_MANAGER..."},
      {25.0, "sitecomp", "SMS_SITE_COMPONENT_MANAGER",
       "Waiting for changes to the \"" + box + "sitectrl.box\" or \"" + box +
           "sitecomp.box\" directories, updates will be polled in 600 seconds..."},
      {28.0, "hman", "SMS_HIERARCHY_MANAGER", "Wait for site control changes for maximum 3600 seconds..."},
      {29.0, "inboxmgr", "SMS_INBOX_MANAGER", "Inbox source is local on CEN01"},
      {31.0, "inboxmgr", "SMS_INBOX_MANAGER",
       "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds."},
  };
  s.insert(s.end(), rest.begin(), rest.end());
  return s;
}

std::string stamp(std::time_t t, bool millis) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%m-%d-%Y %H:%M:%S", &tm);
  return millis ? std::string(buf) + ".000+000" : buf;
}

void append(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::app | std::ios::binary);
  out << text << "\r\n";  // Windows line ends, as the real logs have
}

fs::path logs_dir(const fs::path& root, const std::string& install_dir) {
  // C:\SMS -> <root>/SMS/Logs
  std::string rel = install_dir.size() > 3 ? install_dir.substr(3) : "SMS";
  for (auto& c : rel) {
    if (c == '\\') c = '/';
  }
  return root / rel / "Logs";
}

}  // namespace

int site_server(int argc, char** argv) {
  fs::path root;
  std::string install_dir = "C:\\SMS";
  double wall_ms = 2000;
  bool fail = false;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--root" && i + 1 < argc)
      root = argv[++i];
    else if (a == "--install-dir" && i + 1 < argc)
      install_dir = argv[++i];
    else if (a == "--wall-ms" && i + 1 < argc)
      wall_ms = std::atof(argv[++i]);
    else if (a == "--fail")
      fail = true;
    else if (a != "/quiet") {
      std::fprintf(stderr, "site-server: unknown argument %s\n", a.c_str());
      return 64;
    }
  }
  if (root.empty()) return 64;
  const auto lines = script(install_dir, fail);
  const double per_minute_ms = wall_ms / 31.0;
  const auto t0 = std::chrono::steady_clock::now();
  const std::time_t v0 = std::time(nullptr);
  bool forked = false;
  for (const auto& l : lines) {
    std::this_thread::sleep_until(t0 +
                                  std::chrono::microseconds(static_cast<int64_t>(l.minute * per_minute_ms * 1000)));
    std::time_t vt = v0 + static_cast<std::time_t>(l.minute * 60);
    if (std::string(l.file) == "setup") {
      append(root / "SMSSetup.log", "<" + stamp(vt, false) + "> " + l.text);
      std::printf("setup: %s\n", l.text.c_str());
      std::fflush(stdout);
      continue;
    }
    if (!forked) {
      // Setup is done with its part once the components take over: the
      // process returns, the site services carry on in the background.
      bool setup_over = l.minute >= 10.0;
      if (setup_over) {
        if (fork() != 0) return 0;
        forked = true;
      }
    }
    append(logs_dir(root, install_dir) / (std::string(l.file) + ".log"),
           l.text + "  $$<" + l.component + "><" + stamp(vt, true) + "><thread=2216 (0x8A8)>");
  }
  return fail ? 1 : 0;
}
