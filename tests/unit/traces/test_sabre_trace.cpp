#include "trace_test_helpers.hpp"

using namespace popex;

namespace {
RateTrace sabre_text(const std::string& text, const TraceOptions& options = {})
{
  return load_trace_text(text, "t.json", TraceFormat::SABRE, options);
}
} // namespace

// small.json: (1500 ms, 800 kbps), (500 ms, 0 kbps), (1000 ms, 4000.5 kbps, keys in another order, no latency).
TEST(SabreTrace, EntriesFollowEachOther)
{
  const RateTrace t = load_trace(trace_data("small.json"), TraceFormat::SABRE);
  // Rates = kbps x 1000 / 8: 800 -> 100000, 0 -> 0, 4000.5 -> 500062.5. Starts: 0, 1.5, 1.5 + 0.5 = 2.
  expect_steps(t, {0, 1.5, 2}, {100000, 0, 500062.5});
  EXPECT_DOUBLE_EQ(t.duration_s(), 3.0);
  EXPECT_EQ(t.source, trace_data("small.json") + " (sabre)");
}

TEST(SabreTrace, BadFiles)
{
  const std::string bad = trace_data("bad/");
  EXPECT_THROW_MSG(load_trace(bad + "trailing-comma.json", TraceFormat::SABRE),
                   bad + "trailing-comma.json:3:1: sabre trace: JSON: expected '{' opening entry 2 (got ']')");
  EXPECT_THROW_MSG(load_trace(bad + "string-value.json", TraceFormat::SABRE),
                   bad + "string-value.json:2:43: sabre trace: entry 1: bandwidth_kbps must be a JSON number (got "
                         "'\"fast\"')");
  EXPECT_THROW_MSG(load_trace(bad + "missing-key.json", TraceFormat::SABRE),
                   bad + "missing-key.json:2:3: sabre trace: entry 1: bandwidth_kbps is required (got no such key)");
  EXPECT_THROW_MSG(load_trace(bad + "unknown-key.json", TraceFormat::SABRE),
                   bad + "unknown-key.json:2:48: sabre trace: entry 1: key must be one of duration_ms, bandwidth_kbps, "
                         "latency_ms (got \"loss\")");
  EXPECT_THROW_MSG(load_trace(bad + "zero-duration.json", TraceFormat::SABRE),
                   bad + "zero-duration.json:2:19: sabre trace: entry 1: duration_ms must be a finite number > 0 (got "
                         "0)");
  EXPECT_THROW_MSG(load_trace(bad + "ends-at-zero.json", TraceFormat::SABRE),
                   bad + "ends-at-zero.json:3:43: sabre trace: the last rate must be > 0 when the trace does not loop, "
                         "or transfers would wait forever (got 0 from t = 1 s on)");
  EXPECT_THROW_MSG(load_trace(bad + "empty-list.json", TraceFormat::SABRE),
                   bad + "empty-list.json:1:1: sabre trace: must have at least one entry (got [])");
  EXPECT_THROW_MSG(load_trace(bad + "not-a-list.json", TraceFormat::SABRE),
                   bad + "not-a-list.json:1:1: sabre trace: JSON: expected '[' opening the list of {duration_ms, "
                         "bandwidth_kbps, latency_ms} entries (got '{')");
}

TEST(SabreTrace, StrictJson)
{
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\": 1000, \"bandwidth_kbps\": -8}]"),
                   "t.json:1:42: sabre trace: entry 1: bandwidth_kbps must be a finite number >= 0 (got -8)");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\": 1000, \"bandwidth_kbps\": 01}]"),
                   "t.json:1:42: sabre trace: entry 1: bandwidth_kbps must be a JSON number (got '01')");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\": 1000, \"bandwidth_kbps\": NaN}]"),
                   "t.json:1:42: sabre trace: entry 1: bandwidth_kbps must be a JSON number (got 'NaN')");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\": 1000, \"duration_ms\": 5}]"),
                   "t.json:1:24: sabre trace: entry 1: key duration_ms must appear once (got it twice)");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\" 1000}]"),
                   "t.json:1:17: sabre trace: JSON: expected ':' after \"duration_ms\" (got '1000')");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\": 1000, \"bandwidth_kbps\": 1} {}]"),
                   "t.json:1:45: sabre trace: JSON: expected ',' or ']' after entry 1 (got '{')");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\": 1000, \"bandwidth_kbps\": 1}] x"),
                   "t.json:1:46: sabre trace: JSON: expected end of file after the list (got 'x')");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms"),
                   "t.json:1:3: sabre trace: JSON: string must end with '\"' (got end of file)");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\": 1000, \"bandwidth_kbps\": 1"),
                   "t.json:1:43: sabre trace: JSON: expected ',' or '}' in entry 1 (got end of file)");
  EXPECT_THROW_MSG(sabre_text("  \n"), "t.json:2:1: sabre trace: JSON: expected '[' opening the list of {duration_ms, "
                                       "bandwidth_kbps, latency_ms} entries (got end of file)");
  EXPECT_THROW_MSG(sabre_text("[{\"duration_ms\": 1000, \"bandwidth_kbps\": 1e999}]"),
                   "t.json:1:42: sabre trace: entry 1: bandwidth_kbps must be a JSON number (got '1e999')");
}

TEST(SabreTrace, Limits)
{
  // Fuzz finding 12: a 5e-11 s trace was written as "LOOPAFTER 0".
  EXPECT_THROW_MSG(sabre_text(R"([{"duration_ms":5e-8,"bandwidth_kbps":7}])"),
                   "t.json:1:17: sabre trace: entry 1: duration_ms must be at least 0.001, that is 1 microsecond (got "
                   "5e-08)");
  EXPECT_EQ(sabre_text(R"([{"duration_ms":1e-3,"bandwidth_kbps":7}])", {.loop = true}).end_s, 1e-6);
  // Fuzz finding 10: durations that overflow or swallow the next entry.
  EXPECT_THROW_MSG(sabre_text(R"([{"duration_ms":9e99,"bandwidth_kbps":1},{"duration_ms":9,"bandwidth_kbps":0}])"),
                   "t.json:1:17: sabre trace: entry 1: the trace must last at most 1e9 s (got 9e+96 s at the end of "
                   "this entry)");
  EXPECT_THROW_MSG(sabre_text(R"([{"duration_ms":1e12,"bandwidth_kbps":1},{"duration_ms":1,"bandwidth_kbps":1}])"),
                   "t.json:1:57: sabre trace: entry 2: the trace must last at most 1e9 s (got 1000000000.001 s at "
                   "the end of this entry)");
  // Fuzz finding 9.
  EXPECT_THROW_MSG(sabre_text(R"([{"duration_ms":1,"bandwidth_kbps":1e13}])"),
                   "t.json:1:36: sabre trace: entry 1: bandwidth_kbps must be at most 8e12, that is 1e15 bytes/s (got "
                   "10000000000000)");
}
