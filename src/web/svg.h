// The charts of the report, drawn as SVG by smsup itself: a hand-written
// layout is a few dozen lines, where a charting library would add a script
// the page has to carry (and trust) for three simple shapes.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "model/hierarchy.h"
#include "plan/plan.h"
#include "run/journal.h"

namespace smsup::web {

// The hierarchy: central site at the top (left-to-right when wide), one
// g.site per site coloured by its state (class st-<state>).
std::string svg_tree(const Hierarchy& h, const std::map<std::string, std::string>& states);
// The plan's schedule: the chart's frame and time axis, and its rows as data
// (script#gantt-data) that the page draws: one rect.plan per step (crit /
// manual classes), and with a journal one rect.actual per started step.
inline constexpr size_t kGanttAll = 1500;  // up to this many rows are all drawn at once
std::string svg_gantt(const plan::Plan& p, const std::vector<run::JournalStep>* journal, double now);
// The share of clients at SP2 by day: one circle.pt per day.
std::string svg_curve(const std::vector<std::array<int64_t, 2>>& days);

}  // namespace smsup::web
