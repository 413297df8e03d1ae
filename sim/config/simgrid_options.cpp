#include "config/simgrid_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

namespace popex {

namespace {

constexpr double INF = std::numeric_limits<double>::infinity();

enum class Type { BOOL, INT, DOUBLE, STRING, CHOICE, FILE, OUTPUT, REFUSED };

/** One option as SimGrid 3.32 declares it (`--cfg-help`), with the values popex-sim can run with. */
struct Spec {
  std::string_view key;
  Type type;
  std::string_view values = {}; //!< CHOICE: the accepted values, ", "-separated
  std::string_view why    = {}; //!< why popex-sim narrows SimGrid's values or refuses the option, for the message
  std::string_view unit   = {}; //!< INT, DOUBLE: the unit, after the range in the message
  double lo               = -INF;
  double hi               = INF;
  bool lo_open            = false; //!< lo itself is refused: (lo, ...
  bool hi_open            = false; //!< hi itself is refused: ..., hi)
  bool zero_ok            = true;  //!< false: 0 is refused inside [lo, hi]
};

constexpr std::string_view SOLVERS = "maxmin, fairbottleneck, bmf";
constexpr std::string_view CHAOS   = "the chaos monkey kills hosts and links, and popex-sim's actors do not survive "
                                     "failures";
constexpr std::string_view DVFS    = "DVFS changes host speeds, which popex-sim's gamma needs constant";
constexpr std::string_view MC      = "popex-sim does not run under SimGrid's model checker";

constexpr Spec boolean(std::string_view key)
{
  return {.key = key, .type = Type::BOOL};
}
constexpr Spec text(std::string_view key)
{
  return {.key = key, .type = Type::STRING};
}
constexpr Spec refused(std::string_view key, std::string_view why)
{
  return {.key = key, .type = Type::REFUSED, .why = why};
}
constexpr Spec choice(std::string_view key, std::string_view values, std::string_view why = {})
{
  return {.key = key, .type = Type::CHOICE, .values = values, .why = why};
}

// Every option of SimGrid 3.32 as Debian builds it (`--cfg-help`), sorted by key. The bounds keep SimGrid from what
// docs/simgrid-notes.md lists: a precision <= 0 or NaN spins for ever, a stack of 0 KiB crashes, ...
constexpr std::array SPECS{
    Spec{.key = "bmf/max-iterations", .type = Type::INT, .lo = 1, .hi = INT_MAX},
    Spec{.key = "bmf/precision", .type = Type::DOUBLE, .lo = 0, .hi = 1e-3, .lo_open = true},
    refused("cmonkey/host", CHAOS),
    refused("cmonkey/link", CHAOS),
    refused("cmonkey/tell", CHAOS),
    refused("cmonkey/time", CHAOS),
    choice("contexts/factory", "raw, ucontext, boost, thread"),
    Spec{.key = "contexts/guard-size", .type = Type::INT, .unit = "pages", .lo = 0, .hi = 1024},
    Spec{.key  = "contexts/nthreads",
         .type = Type::INT,
         .why  = "popex-sim's actors share state without locks, so they cannot run in parallel",
         .lo   = 1,
         .hi   = 1},
    Spec{.key = "contexts/stack-size", .type = Type::INT, .unit = "KiB", .lo = 16, .hi = 1048576},
    choice("contexts/synchro", "futex, posix, busy_wait"),
    boolean("cpu/maxmin-selective-update"),
    choice("cpu/model", "Cas01"),
    choice("cpu/optim", "Lazy, Full", "TI aborts on hosts of several cores"),
    choice("cpu/solver", SOLVERS),
    Spec{.key     = "debug/breakpoint",
         .type    = Type::DOUBLE,
         .why     = "a breakpoint raises SIGTRAP, which ends popex-sim with a core dump",
         .hi      = 0,
         .hi_open = true},
    boolean("debug/clean-atexit"),
    boolean("debug/verbose-exit"),
    choice("disk/model", "default"),
    choice("disk/solver", SOLVERS),
    boolean("exception/cutpath"),
    boolean("help-nostop"),
    choice("host/model", "default, compound, ptask_L07"),
    choice("host/solver", SOLVERS),
    Spec{.key     = "maxmin/concurrency-limit",
         .type    = Type::INT,
         .why     = "-1 means no limit, and 0 deadlocks",
         .lo      = -1,
         .hi      = INT_MAX,
         .zero_ok = false},
    Spec{.key     = "maxmin/precision",
         .type    = Type::DOUBLE,
         .unit    = "flop/s or bytes/s",
         .lo      = 0,
         .hi      = 1e-3,
         .lo_open = true},
    refused("model-check/replay", MC),
    refused("model-check/timeout", MC),
    Spec{.key = "network/TCP-gamma", .type = Type::DOUBLE, .unit = "bytes", .lo = 0},
    Spec{.key = "network/bandwidth-factor", .type = Type::DOUBLE, .lo = 0, .lo_open = true},
    boolean("network/crosstraffic"),
    Spec{.key = "network/latency-factor", .type = Type::DOUBLE, .lo = 0},
    Spec{.key = "network/loopback-bw", .type = Type::DOUBLE, .unit = "bytes/s", .lo = 0, .lo_open = true},
    Spec{.key = "network/loopback-lat", .type = Type::DOUBLE, .unit = "seconds", .lo = 0},
    boolean("network/maxmin-selective-update"),
    choice("network/model", "LV08, CM02, SMPI, IB",
           "Constant has no links, and ns-3 cannot change a link's bandwidth, which popex-sim does"),
    choice("network/optim", "Lazy, TI, Full"),
    choice("network/solver", SOLVERS),
    Spec{.key = "network/weight-S", .type = Type::DOUBLE, .lo = 0},
    text("ns3/TcpModel"),
    text("ns3/seed"),
    text("path"),
    choice("plugin", "host_load, host_energy",
           "link_load and link_energy crash on popex-sim's links, link_energy_wifi needs WiFi links, host_dvfs "
           "changes host speeds, cmonkey kills hosts and links"),
    refused("plugin/dvfs/governor", DVFS),
    refused("plugin/dvfs/max-pstate", DVFS),
    refused("plugin/dvfs/min-pstate", DVFS),
    refused("plugin/dvfs/sampling-rate", DVFS),
    text("smpi/IB-penalty-factors"),
    Spec{.key = "smpi/async-small-thresh", .type = Type::INT},
    Spec{.key = "smpi/auto-shared-malloc-thresh", .type = Type::DOUBLE},
    text("smpi/bw-factor"),
    text("smpi/comp-adjustment-file"),
    Spec{.key = "smpi/cpu-threshold", .type = Type::DOUBLE},
    boolean("smpi/display-allocs"),
    boolean("smpi/errors-are-fatal"),
    boolean("smpi/grow-injected-times"),
    text("smpi/host-speed"),
    text("smpi/hostfile"),
    Spec{.key = "smpi/init", .type = Type::DOUBLE},
    Spec{.key = "smpi/iprobe", .type = Type::DOUBLE},
    Spec{.key = "smpi/iprobe-cpu-usage", .type = Type::DOUBLE},
    text("smpi/lat-factor"),
    Spec{.key = "smpi/list-leaks", .type = Type::INT},
    Spec{.key = "smpi/map", .type = Type::INT},
    Spec{.key = "smpi/np", .type = Type::INT},
    boolean("smpi/pedantic"),
    text("smpi/replay"),
    Spec{.key = "smpi/send-is-detached-thresh", .type = Type::INT},
    text("smpi/shared-malloc"),
    boolean("smpi/simulate-computation"),
    Spec{.key = "smpi/test", .type = Type::DOUBLE},
    boolean("smpi/trace-call-location"),
    boolean("smpi/trace-call-use-absolute-path"),
    Spec{.key = "smpi/wtime", .type = Type::DOUBLE},
    Spec{.key = "surf/precision", .type = Type::DOUBLE, .unit = "seconds", .lo = 0, .hi = 1e-3, .lo_open = true},
    boolean("tracing"),
    boolean("tracing/actor"),
    boolean("tracing/basic"),
    boolean("tracing/categorized"),
    text("tracing/comment"),
    Spec{.key = "tracing/comment-file", .type = Type::FILE},
    boolean("tracing/disable-destroy"),
    boolean("tracing/disable_link"),
    boolean("tracing/disable_power"),
    Spec{.key = "tracing/filename", .type = Type::OUTPUT},
    boolean("tracing/platform"),
    boolean("tracing/platform/topology"),
    Spec{.key = "tracing/precision", .type = Type::INT, .unit = "digits", .lo = 0, .hi = 17},
    boolean("tracing/smpi"),
    boolean("tracing/smpi/computing"),
    boolean("tracing/smpi/display-sizes"),
    choice("tracing/smpi/format", "Paje, TI"),
    boolean("tracing/smpi/format/ti-one-file"),
    boolean("tracing/smpi/group"),
    boolean("tracing/smpi/internals"),
    boolean("tracing/smpi/sleeping"),
    boolean("tracing/uncategorized"),
    boolean("tracing/vm"),
};
static_assert(SPECS.size() == 98, "SimGrid 3.32 declares 98 options");

/** The file SimGrid reads whole for tracing/comment-file: a FIFO or /dev/zero there would hang it. */
constexpr std::uintmax_t max_option_file_bytes = 1u << 20;

std::size_t edit_distance(std::string_view a, std::string_view b)
{
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0]               = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j]               = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal             = up;
    }
  }
  return row[b.size()];
}

OptionProblem unknown_key(std::string_view key)
{
  const Spec* best     = nullptr;
  std::size_t distance = 4; // suggest only near misses: a typo, a '_' for a '-', a wrong case
  for (const Spec& s : SPECS)
    if (const std::size_t d = edit_distance(key, s.key); d < distance) {
      distance = d;
      best     = &s;
    }
  const std::string hint = best != nullptr ? fmt::format(" (did you mean {}?)", best->key)
                                           : ", such as network/model, surf/precision or contexts/stack-size";
  return {fmt::format("key must name a SimGrid 3.32 option{}", hint), std::string(key)};
}

/** "a number within (0, 0.001] seconds", "an integer >= -1 other than 0", "1" */
std::string range_rule(const Spec& s)
{
  const std::string num = s.type == Type::INT ? "an integer" : "a finite number";
  std::string rule;
  if (s.lo == s.hi)
    rule = fmt::format("{}", s.lo);
  else if (s.lo == -INF && s.hi == INF)
    rule = num;
  else if (s.hi == INF || s.hi == INT_MAX)
    rule = fmt::format("{} {} {}", num, s.lo_open ? ">" : ">=", s.lo);
  else if (s.lo == -INF)
    rule = fmt::format("{} {} {}", num, s.hi_open ? "<" : "<=", s.hi);
  else
    rule = fmt::format("{} within {}{}, {}{}", num, s.lo_open ? "(" : "[", s.lo, s.hi, s.hi_open ? ")" : "]");
  if (!s.zero_ok)
    rule += " other than 0";
  return s.unit.empty() ? rule : fmt::format("{} {}", rule, s.unit);
}

bool in_range(const Spec& s, double v)
{
  const bool above = s.lo_open ? v > s.lo : v >= s.lo;
  const bool below = s.hi_open ? v < s.hi : v <= s.hi;
  return std::isfinite(v) && above && below && (s.zero_ok || v != 0);
}

/** SimGrid's own parse of an int or double option (src/xbt/config.cpp): the whole text, or nothing. */
std::optional<double> parse_number(std::string_view value, bool integer)
{
  const std::string text(value);
  char* end      = nullptr;
  errno          = 0;
  const double v = integer ? static_cast<double>(std::strtol(text.c_str(), &end, 0)) : std::strtod(text.c_str(), &end);
  if (errno == ERANGE || end == text.c_str() || *end != '\0' || (integer && (v < INT_MIN || v > INT_MAX)))
    return std::nullopt;
  return v;
}

bool is_choice(std::string_view list, std::string_view value)
{
  for (std::size_t at = 0; at <= list.size();) {
    const std::size_t comma = std::min(list.find(", ", at), list.size());
    if (list.substr(at, comma - at) == value)
      return true;
    at = comma + 2;
  }
  return false;
}

/** SimGrid creates the trace file but not its folder: it throws, and then its engine crashes on the way out. */
bool in_existing_folder(std::string_view value)
{
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::path(value).parent_path();
  return std::filesystem::is_directory(folder.empty() ? "." : folder, ec);
}

bool is_small_regular_file(std::string_view value)
{
  std::error_code ec;
  const std::filesystem::path path(value);
  return std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) <= max_option_file_bytes &&
         !ec;
}

/** The rule `value` breaks, without the reason. */
std::optional<std::string> type_problem(const Spec& s, std::string_view value)
{
  static constexpr std::array<std::string_view, 8> BOOLS{"yes", "on", "true", "1", "no", "off", "false", "0"};
  switch (s.type) {
  case Type::BOOL:
    if (std::find(BOOLS.begin(), BOOLS.end(), value) == BOOLS.end())
      return "be a boolean: yes, on, true, 1, no, off, false or 0";
    break;
  case Type::INT:
  case Type::DOUBLE:
    if (const auto v = parse_number(value, s.type == Type::INT); !v || !in_range(s, *v))
      return "be " + range_rule(s);
    break;
  case Type::CHOICE:
    if (!is_choice(s.values, value))
      return fmt::format("be one of {}", s.values);
    break;
  case Type::FILE:
    if (!is_small_regular_file(value))
      return "name a regular file of at most 1 MiB (SimGrid reads it whole)";
    break;
  case Type::OUTPUT:
    if (!in_existing_folder(value))
      return "name a file in an existing folder (SimGrid creates the file, not the folder)";
    break;
  case Type::REFUSED:
    return "not be set";
  case Type::STRING:
    break;
  }
  return std::nullopt;
}

} // namespace

std::optional<OptionProblem> simgrid_option_problem(std::string_view key, std::string_view value)
{
  const auto it = std::find_if(SPECS.begin(), SPECS.end(), [key](const Spec& s) { return s.key == key; });
  if (it == SPECS.end())
    return unknown_key(key);
  if (const auto rule = type_problem(*it, value))
    return OptionProblem{it->why.empty() ? fmt::format("{} must {}", key, *rule)
                                         : fmt::format("{} must {} ({})", key, *rule, it->why),
                         std::string(value)};
  return std::nullopt;
}

std::vector<std::string_view> split_simgrid_options(std::string_view text)
{
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find_first_of(" \t\n,", at), text.size());
    if (end > at)
      out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

} // namespace popex
