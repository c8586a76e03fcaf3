// Seeded random SMS hierarchies for property tests of the planner: deep and
// wide trees, secondaries, replication, consoles, RTM/SP1 mixed, sites
// already at SP2, Windows Server 2003 SP0/SP1 hosts with every SP1 concern.
#pragma once

#include <cstdint>
#include <random>

#include "model/hierarchy.h"

namespace smsup::testing {

struct Shape {
  int sites = 50;
  double depth_bias = 0.5;  // 0: children of the central site; 1: long chains
  double secondary_share = 0.3;
  double sp2_share = 0.1;
  int clients_per_site = 20;
};

// Builds and links (inventory::link) a hierarchy; same seed, same hierarchy.
Hierarchy random_hierarchy(uint64_t seed, const Shape& shape);

}  // namespace smsup::testing
