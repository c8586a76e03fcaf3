// The text of the twin's log lines and where they live, per shared/spec/logs.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "twin/vtime.h"

namespace smsup::twin {

// SMS server trace format (written by logs/writer.h, without the line end):
// "message  $$<COMPONENT><MM-DD-YYYY HH:MM:SS.mmm+000><thread=N (0xHEX)>"
// The twin's clock is UTC, so the bias is 0.
std::string trace_line(std::string_view message, std::string_view component, int64_t epoch_s, VTime t, int thread);
// SMSSetup.log's own format: "<MM-DD-YYYY HH:MM:SS> message".
std::string setup_line(std::string_view message, int64_t epoch_s, VTime t);

// "CEN01/C/SMSSetup.log": setup's log at the root of the system drive.
std::string setup_log_path(std::string_view host);
// "CEN01/D/Program Files/SMS/Logs/sitecomp.log" for install_dir
// 'D:\Program Files\SMS'. Path parts that could climb out of the twin folder
// ("..", empty, odd characters) are neutralised.
std::string site_log_path(std::string_view host, std::string_view install_dir, std::string_view log_name);
// A host name or path part made safe to be one folder name.
std::string safe_part(std::string_view s);

}  // namespace smsup::twin
