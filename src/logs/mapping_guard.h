// Read-only file mappings that survive the file being truncated under them.
//
// Why by hand: a log of 8 MiB or more is memory-mapped (text.cpp); SMS rotates
// logs by renaming (harmless to a mapping), but a file truncated in place while
// smsup reads it turns every access past its new end into SIGBUS, which kills
// the process. No library guards a mapping against that. A guarded mapping is
// registered here; a SIGBUS inside it maps zero pages over the part that was
// lost, so the reader goes on, and the loss is reported afterwards.
#pragma once

#include <cstddef>

namespace smsup::logs {

// Registers [addr, addr + len) (a private read-only mapping). Returns a slot,
// or -1 when every slot is taken (the caller then reads the file instead).
int guard_mapping(const void* addr, std::size_t len);
// Unregisters a slot before the mapping is unmapped.
void unguard_mapping(int slot);
// True once a SIGBUS hit the slot's mapping: the file shrank while it was read
// and the bytes past its new end read as zeros.
bool mapping_lost_bytes(int slot);

}  // namespace smsup::logs
