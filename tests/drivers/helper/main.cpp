// smsup_test_helper: small programs the apply and driver tests run as step
// commands, so that the driver meets real processes.
//   argv-dump OUT ARGS...   writes ARGS to OUT, each followed by a NUL byte
//   record FILE ID          appends "ID\n" to FILE in one write (O_APPEND)
//   probe FILE ID           exit 0 when FILE has the line ID, else 1
//   sleep MS                sleeps, then exits 0
//   exit N [TEXT]           prints TEXT, exits N
//   site-server ...         a stand-in SMS site server running SP2 setup (site_server.cpp)
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

int site_server(int argc, char** argv);

namespace {

int usage() {
  std::fprintf(stderr, "usage: smsup_test_helper argv-dump|record|probe|sleep|exit|site-server ...\n");
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string mode = argv[1];
  if (mode == "argv-dump" && argc >= 3) {
    std::string out;
    for (int i = 3; i < argc; ++i) {
      out += argv[i];
      out += '\0';
    }
    std::ofstream f(argv[2], std::ios::binary);
    f << out;
    return f ? 0 : 1;
  }
  if (mode == "record" && argc == 4) {
    std::string line = std::string(argv[3]) + "\n";
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return 2;
    bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    close(fd);
    std::printf("recorded %s\n", argv[3]);
    return ok ? 0 : 2;
  }
  if (mode == "probe" && argc == 4) {
    std::ifstream f(argv[2]);
    std::string line;
    while (std::getline(f, line)) {
      if (line == argv[3]) return 0;
    }
    return 1;
  }
  if (mode == "sleep" && argc == 3) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(argv[2])));
    return 0;
  }
  if (mode == "exit" && argc >= 3) {
    if (argc >= 4) std::printf("%s\n", argv[3]);
    return std::atoi(argv[2]);
  }
  if (mode == "site-server") return site_server(argc - 2, argv + 2);
  return usage();
}
