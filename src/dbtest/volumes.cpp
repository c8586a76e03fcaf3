// Realistic volumes for an SMS 2003 site database, per client: 1 discovery
// record and resource, 1-2 IP addresses, 1 computer system and OS, 1-3 logical
// disks, 6-18 Add/Remove Programs entries, 10-30 software inventory files and
// 0-4 status messages with 3 insertion strings each. The catalogs (600
// products, 4000 files) are shared by all clients. Assumption: these averages
// follow a typical 2006 desktop with SMS software inventory collecting *.exe;
// docs/dbtest.md says why.
#include "dbtest/volumes.h"

#include <array>
#include <cstdio>

namespace smsup::dbtest {
namespace {

constexpr int64_t kProducts = 600;
constexpr int64_t kFiles = 4000;
constexpr int64_t kCommonFiles = 5;  // on every client (explorer.exe, ...)

// SplitMix64: a stateless mix of (seed, client, table) gives every client its
// own stream, so each table can be generated in its own pass.
struct Rng {
  uint64_t s;
  Rng(uint64_t seed, int64_t client, uint64_t table)
      : s(seed * 0x9E3779B97F4A7C15ULL ^ (static_cast<uint64_t>(client) << 8) ^ table) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t below(int64_t n) { return static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }
};

enum : uint64_t { kCounts = 1, kDisc, kIp, kHw, kDisk, kArp, kSw, kStatus };

struct Counts {
  int64_t ips, disks, arp, sw, status;
};
Counts counts_of(uint64_t seed, int64_t client) {
  Rng r(seed, client, kCounts);
  return {1 + (r.below(4) == 0 ? 1 : 0), 1 + r.below(3), 6 + r.below(13), 10 + r.below(21), r.below(5)};
}

constexpr std::array<std::string_view, 8> kCompanies{"Microsoft Corporation", "Adobe Systems", "Symantec Corporation",
                                                     "Sun Microsystems",      "Macromedia",    "Intel Corporation",
                                                     "Hewlett-Packard",       "Citrix Systems"};
constexpr std::array<std::string_view, 10> kStems{"setup",  "update",   "agent",  "viewer",  "service",
                                                  "helper", "launcher", "client", "monitor", "config"};
constexpr std::array<std::string_view, 6> kOs{
    "Microsoft Windows NT Workstation 5.1", "Microsoft Windows NT Workstation 5.0", "Microsoft Windows NT Server 5.2",
    "Microsoft Windows NT Workstation 4.0", "Microsoft Windows NT Server 5.0",      "Microsoft Windows 98"};
constexpr std::array<std::string_view, 4> kDomains{"CONTOSO", "EUROPE", "ASIA", "LAB"};
constexpr std::array<std::string_view, 5> kComponents{"SMS_CLIENT_CONFIG_MANAGER", "SMS_INVENTORY_DATA_LOADER",
                                                      "SMS_SOFTWARE_INVENTORY_PROCESSOR", "SMS_DISCOVERY_DATA_MANAGER",
                                                      "SMS_DISTRIBUTION_MANAGER"};

// 'YYYY-MM-DD HH:MM:SS' for a number of seconds after 2006-01-01.
std::string_view timestamp(char* buf, int64_t seconds) {
  int64_t days = seconds / 86400 + 13149;  // 2006-01-01 as days since 1970-01-01
  int64_t secs = seconds % 86400;
  days += 719468;  // civil_from_days (Howard Hinnant)
  int64_t era = days / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  int n = std::snprintf(buf, 24, "%04d-%02d-%02d %02d:%02d:%02d", static_cast<int>(y), static_cast<int>(m),
                        static_cast<int>(d), static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                        static_cast<int>(secs % 60));
  return {buf, static_cast<size_t>(n)};
}

std::string_view printf_view(char* buf, size_t size, int n) {
  return {buf, n < 0 ? 0 : std::min(static_cast<size_t>(n), size - 1)};
}
#define SV(buf, ...) printf_view(buf, sizeof(buf), std::snprintf(buf, sizeof(buf), __VA_ARGS__))

class Filler {
 public:
  Filler(RowSink& sink, const GenerateOptions& o) : sink_(sink), o_(o) {}

  int64_t run() {
    settings();
    site_control();
    catalogs();
    discovery();
    hardware();
    software();
    status();
    return rows_;
  }

 private:
  RowSink& sink_;
  const GenerateOptions& o_;
  int64_t rows_ = 0;

  void emit(std::initializer_list<Field> f) {
    sink_.row(std::span<const Field>(f.begin(), f.size()));
    ++rows_;
  }
  static std::string_view company(int64_t product) { return kCompanies[product % 8]; }

  void settings() {
    sink_.begin_table("SiteSettings", {"Name", "Value"});
    emit({Field::of("SiteCode"), Field::of(o_.site_code)});
    emit({Field::of("SchemaVersion"), Field::of("2.50.3174.1018")});
    emit({Field::of("Replication"), Field::of(o_.replication ? "true" : "false")});
    if (o_.site_data_mb >= 0 && o_.site_log_mb >= 0) {
      std::string data = std::to_string(o_.site_data_mb), log = std::to_string(o_.site_log_mb);
      emit({Field::of(kSiteDataMbSetting), Field::of(data)});
      emit({Field::of(kSiteLogMbSetting), Field::of(log)});
    }
    sink_.end_table();
  }

  void site_control() {
    sink_.begin_table("SiteControl", {"SiteCode", "ItemType", "ItemName", "Body"});
    char name[64], body[256];
    for (int64_t k = 0; k < 48; ++k) {
      emit({Field::of(o_.site_code), Field::of(k < 24 ? "Component" : "Site Definition"),
            Field::of(SV(name, "SMS_%s_%03d", k < 24 ? "COMPONENT" : "PROPERTY", static_cast<int>(k))),
            Field::of(SV(body, "BEGIN_COMPONENT <%s> <%d> PROPERTY <Enabled><><><1> END_COMPONENT",
                         o_.site_code.c_str(), static_cast<int>(k)))});
    }
    sink_.end_table();
  }

  void catalogs() {
    char name[128], ver[32], desc[160];
    sink_.begin_table("SoftwareProduct",
                      {"ProductID", "CompanyName", "ProductName", "ProductVersion", "ProductLanguage"});
    for (int64_t p = 1; p <= kProducts; ++p) {
      emit({Field::of(p), Field::of(company(p)),
            Field::of(SV(name, "%s Product %d", kStems[p % 10].data(), static_cast<int>(p))),
            Field::of(SV(ver, "%d.%d.%d", static_cast<int>(p % 9 + 1), static_cast<int>(p % 7),
                         static_cast<int>(p * 37 % 5000))),
            Field::of(int64_t{1033})});
    }
    sink_.end_table();
    sink_.begin_table("SoftwareFile",
                      {"FileID", "FileName", "FileVersion", "FileSize", "FileDescription", "ProductID"});
    char fname[64];
    for (int64_t f = 1; f <= kFiles; ++f) {
      int64_t product = (f * 7) % kProducts + 1;
      emit({Field::of(f), Field::of(SV(fname, "%s%d.exe", kStems[f % 10].data(), static_cast<int>(f))),
            Field::of(SV(ver, "%d.%d.%d.%d", static_cast<int>(f % 6 + 5), static_cast<int>(f % 3),
                         static_cast<int>(f % 3000), static_cast<int>(f % 17))),
            Field::of(int64_t{4096 + (f * 7919) % 8000000}),
            Field::of(SV(desc, "%s %s component", company(product).data(), kStems[f % 10].data())),
            Field::of(product)});
    }
    sink_.end_table();
  }

  void discovery() {
    char name[32], guid[64], ts[24];
    sink_.begin_table("MachineIdGroupXRef", {"MachineID", "GUID", "ArchitectureKey", "GroupKey"});
    for (int64_t c = 0; c < o_.clients; ++c) {
      emit({Field::of(c + 1),
            Field::of(SV(guid, "GUID:%08X-%04X-4000-8000-%012llX", static_cast<unsigned>(c),
                         static_cast<unsigned>(o_.seed & 0xFFFF), static_cast<unsigned long long>(c * 2654435761ULL))),
            Field::of(int64_t{5}), Field::of(int64_t{1})});
    }
    sink_.end_table();
    sink_.begin_table("System_DISC", {"ItemKey", "Name0", "SMS_Unique_Identifier0", "Resource_Domain_OR_Workgroup0",
                                      "Operating_System_Name_and0", "Client0", "Client_Type0", "Client_Version0",
                                      "SMS_Assigned_Site0", "Creation_Date0", "Decommissioned0"});
    for (int64_t c = 0; c < o_.clients; ++c) {
      Rng r(o_.seed, c, kDisc);
      bool advanced = r.below(3) != 0;
      emit({Field::of(c + 1), Field::of(SV(name, "WKS%07d", static_cast<int>(c + 1))),
            Field::of(SV(guid, "GUID:%08X-%04X-4000-8000-%012llX", static_cast<unsigned>(c),
                         static_cast<unsigned>(o_.seed & 0xFFFF), static_cast<unsigned long long>(c * 2654435761ULL))),
            Field::of(kDomains[static_cast<size_t>(r.below(4))]), Field::of(kOs[static_cast<size_t>(r.below(6))]),
            Field::of(int64_t{1}), Field::of(int64_t{advanced ? 1 : 0}),
            Field::of(r.below(5) == 0 ? "2.50.2726.0018" : "2.50.3174.1018"), Field::of(o_.site_code),
            Field::of(timestamp(ts, r.below(86400 * 150))), Field::of(int64_t{0})});
    }
    sink_.end_table();
    sink_.begin_table("System_IP_Address_ARR", {"ItemKey", "IP_Addresses0"});
    for (int64_t c = 0; c < o_.clients; ++c) {
      Counts n = counts_of(o_.seed, c);
      for (int64_t k = 0; k < n.ips; ++k) {
        emit({Field::of(c + 1), Field::of(SV(name, "10.%d.%d.%d", static_cast<int>(k * 64 + (c >> 16) % 64),
                                             static_cast<int>((c >> 8) & 255), static_cast<int>(c & 255)))});
      }
    }
    sink_.end_table();
  }

  void hardware();
  void software();
  void status();
};

void Filler::hardware() {
  char ts[24], user[48], name[160], ver[32], dev[8];
  static constexpr std::array<std::string_view, 4> kMakers{"Dell Inc.", "Hewlett-Packard", "IBM", "Fujitsu Siemens"};
  sink_.begin_table("Computer_System_DATA", {"MachineID", "RevisionID", "TimeKey", "Manufacturer00", "Model00",
                                             "NumberOfProcessors00", "UserName00"});
  for (int64_t c = 0; c < o_.clients; ++c) {
    Rng r(o_.seed, c, kHw);
    auto maker = static_cast<size_t>(r.below(4));
    emit({Field::of(c + 1), Field::of(1 + r.below(9)), Field::of(timestamp(ts, 86400 * 150 + r.below(86400 * 30))),
          Field::of(kMakers[maker]),
          Field::of(SV(name, "%s Model %d", kMakers[maker].data(), static_cast<int>(r.below(40)))),
          Field::of(1 + r.below(2)),
          Field::of(SV(user, "%s\\user%d", kDomains[maker].data(), static_cast<int>(c % 50000)))});
  }
  sink_.end_table();
  sink_.begin_table("Operating_System_DATA", {"MachineID", "RevisionID", "TimeKey", "Caption00", "CSDVersion00",
                                              "Version00", "TotalVisibleMemorySize00"});
  for (int64_t c = 0; c < o_.clients; ++c) {
    Rng r(o_.seed, c, kHw + 100);
    emit({Field::of(c + 1), Field::of(1 + r.below(9)), Field::of(timestamp(ts, 86400 * 150 + r.below(86400 * 30))),
          Field::of(kOs[static_cast<size_t>(r.below(6))]),
          Field::of(SV(ver, "Service Pack %d", static_cast<int>(r.below(3)))),
          Field::of(r.below(2) ? "5.1.2600" : "5.0.2195"), Field::of(int64_t{262144} << r.below(3))});
  }
  sink_.end_table();
  sink_.begin_table("Logical_Disk_DATA", {"MachineID", "InstanceKey", "RevisionID", "TimeKey", "DeviceID00",
                                          "FileSystem00", "Size00", "FreeSpace00"});
  for (int64_t c = 0; c < o_.clients; ++c) {
    Rng r(o_.seed, c, kDisk);
    for (int64_t k = 0, n = counts_of(o_.seed, c).disks; k < n; ++k) {
      int64_t size = 20000 + r.below(60000);
      emit({Field::of(c + 1), Field::of(k + 1), Field::of(int64_t{1}),
            Field::of(timestamp(ts, 86400 * 150 + r.below(86400 * 30))),
            Field::of(SV(dev, "%c:", static_cast<char>('C' + k))), Field::of(r.below(5) ? "NTFS" : "FAT32"),
            Field::of(size), Field::of(r.below(size))});
    }
  }
  sink_.end_table();
  sink_.begin_table("Add_Remove_Programs_DATA",
                    {"MachineID", "InstanceKey", "RevisionID", "TimeKey", "DisplayName00", "Publisher00", "Version00"});
  for (int64_t c = 0; c < o_.clients; ++c) {
    Rng r(o_.seed, c, kArp);
    for (int64_t k = 0, n = counts_of(o_.seed, c).arp; k < n; ++k) {
      int64_t p = 1 + (k * 53 + r.below(kProducts)) % kProducts;
      emit({Field::of(c + 1), Field::of(k + 1), Field::of(1 + r.below(4)),
            Field::of(timestamp(ts, 86400 * 150 + r.below(86400 * 30))),
            Field::of(SV(name, "%s Product %d", kStems[p % 10].data(), static_cast<int>(p))), Field::of(company(p)),
            Field::of(SV(ver, "%d.%d.%d", static_cast<int>(p % 9 + 1), static_cast<int>(p % 7),
                         static_cast<int>(p * 37 % 5000)))});
    }
  }
  sink_.end_table();
}

void Filler::software() {
  static constexpr std::array<int64_t, 8> kStrides{7, 11, 13, 17, 19, 23, 29, 31};
  char path[200], ts[24];
  sink_.begin_table("SoftwareInventory", {"ClientId", "FileID", "FilePath", "FileModifiedDate"});
  for (int64_t c = 0; c < o_.clients; ++c) {
    Rng r(o_.seed, c, kSw);
    int64_t start = r.below(kFiles - kCommonFiles);
    int64_t stride = kStrides[static_cast<size_t>(r.below(8))];
    for (int64_t k = 0, n = counts_of(o_.seed, c).sw; k < n; ++k) {
      int64_t f = k < kCommonFiles ? k + 1 : kCommonFiles + 1 + (start + k * stride) % (kFiles - kCommonFiles);
      int64_t product = (f * 7) % kProducts + 1;
      std::string_view p;
      if (k < kCommonFiles) {
        p = "C:\\WINDOWS\\system32\\";
      } else if (r.below(8) == 0) {  // a per-user copy: paths no other client has
        p = SV(path, "C:\\Documents and Settings\\user%d\\Local Settings\\Temp\\", static_cast<int>(c % 50000));
      } else {
        p = SV(path, "C:\\Program Files\\%s\\%s Product %d\\", company(product).data(), kStems[product % 10].data(),
               static_cast<int>(product));
      }
      emit({Field::of(c + 1), Field::of(f), Field::of(p), Field::of(timestamp(ts, r.below(86400 * 180)))});
    }
  }
  sink_.end_table();
}

void Filler::status() {
  char ts[24], machine[32], ins[128];
  sink_.begin_table("StatusMessages", {"RecordID", "MessageID", "Severity", "ModuleName", "Component", "MachineName",
                                       "SiteCode", "Time"});
  int64_t record = 0;
  for (int64_t c = 0; c < o_.clients; ++c) {
    Rng r(o_.seed, c, kStatus);
    for (int64_t k = 0, n = counts_of(o_.seed, c).status; k < n; ++k) {
      emit({Field::of(++record), Field::of(10000 + r.below(900)),
            Field::of(r.below(10) == 0 ? int64_t{-1073741824} : int64_t{1073741824}), Field::of("SMS Client"),
            Field::of(kComponents[static_cast<size_t>(r.below(5))]),
            Field::of(SV(machine, "WKS%07d", static_cast<int>(c + 1))), Field::of(o_.site_code),
            Field::of(timestamp(ts, 86400 * 150 + r.below(86400 * 30)))});
    }
  }
  sink_.end_table();
  sink_.begin_table("StatusMessageInsStrs", {"RecordID", "InsStrIndex", "InsStrValue"});
  record = 0;
  for (int64_t c = 0; c < o_.clients; ++c) {
    for (int64_t k = 0, n = counts_of(o_.seed, c).status; k < n; ++k) {
      ++record;
      for (int64_t s = 0; s < 3; ++s) {
        emit({Field::of(record), Field::of(s),
              Field::of(SV(ins, "WKS%07d value %d of message %d", static_cast<int>(c + 1), static_cast<int>(s),
                           static_cast<int>(record)))});
      }
    }
  }
  sink_.end_table();
}

}  // namespace

int64_t fill_site(RowSink& sink, const GenerateOptions& opts) { return Filler(sink, opts).run(); }

}  // namespace smsup::dbtest
