#pragma once

#include "core/config_error.hpp"

#include <string>
#include <utility>
#include <vector>

namespace popex {

/** One value of an axis, in the two forms a run needs. */
struct AxisValue {
  std::string yaml; //!< one-line flow YAML, applied with apply_override()
  std::string csv;  //!< plain text for the axis column: the scalar as written, or the flow YAML of a list/map
};

/** A scenario key that takes several values across the campaign. */
struct Axis {
  std::string key;               //!< dotted scenario key, e.g. "gamma" or "arrivals.rate_hz"
  std::vector<AxisValue> values; //!< non-empty, no value twice
  SourcePos pos;                 //!< where the key is written
};

/**
 * Axes that vary together: value i of every axis forms point i of the group. A `sweep` axis is a group of one; a
 * `zip` group has all its lists of the same length. Groups combine as a cartesian product.
 */
struct AxisGroup {
  std::vector<Axis> axes; //!< at least one
  bool zipped = false;    //!< true for a group from `zip`
  std::size_t size() const { return axes.front().values.size(); }
};

/** A validated campaign file (docs/campaigns.md). */
struct Campaign {
  std::string file;          //!< the campaign file, as given
  std::string name;          //!< letters, digits, '.', '_', '-'; default output folder results/<name>
  std::string scenario;      //!< the scenario path as written, relative to the campaign file
  std::string scenario_file; //!< the scenario path to open: the campaign file's folder joined with `scenario`
  std::vector<std::pair<std::string, std::string>> set; //!< (dotted key, YAML text) for every run, file order
  std::vector<AxisGroup> groups;                        //!< sweep axes (one group each), then zip groups
  std::vector<long long> seeds{1};                      //!< replicas, >= 0, no duplicates; default [1]
  std::string mode = "simulate";                        //!< simulate | analytic | both; default simulate
  double timeout_s = 600;                               //!< wall-clock limit per run, s, > 0; default 600

  /** The axis keys in column order: sweep axes, then the zip groups' axes. */
  std::vector<std::string> axis_names() const;
  /** Number of points: the product of the group sizes (1 without axes). */
  std::size_t point_count() const;
  /** Most runs a campaign may have: beyond, it is a typo (and summaries would not fit in memory). */
  static constexpr std::size_t MAX_RUNS = 1000000;
};

/** The modes a campaign may ask for. */
const std::vector<std::string>& campaign_modes();

/**
 * Loads and validates a campaign file. Throws ConfigError "FILE:LINE:COL: ..." on any problem: syntax, unknown key,
 * wrong type, a missing scenario file, an empty or duplicated axis, an axis also in `set`, a key that would
 * overwrite one applied before it, a zip group with lists of different lengths, a value or seed listed twice.
 */
Campaign load_campaign(const std::string& path);

} // namespace popex
