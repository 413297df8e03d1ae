#include "config/overrides.hpp"
#include "core/config_error.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace popex {
namespace {

#define EXPECT_CONFIG_ERROR(stmt, msg)                                                                                 \
  do {                                                                                                                 \
    try {                                                                                                              \
      stmt;                                                                                                            \
      ADD_FAILURE() << "no ConfigError from " #stmt;                                                                   \
    } catch (const ConfigError& e) {                                                                                   \
      EXPECT_EQ(std::string(e.what()), msg);                                                                           \
    }                                                                                                                  \
  } while (0)

TEST(Overrides, CreatesMapsOnTheWayAndKeepsScalars)
{
  YAML::Node root = YAML::Load("images: 10\nuplink: {rate: 3g}\n");
  apply_override(root, "uplink.latency_s", "0.05");
  apply_override(root, "arrivals.kind", "poisson");
  apply_override(root, "uplink.rate", "4g");
  EXPECT_EQ(to_flow_yaml(root), "{images: 10, uplink: {rate: 4g, latency_s: 0.05}, arrivals: {kind: poisson}}");
  EXPECT_TRUE(root["uplink"]["rate"].IsScalar());
}

TEST(Overrides, ValueTextIsYaml)
{
  YAML::Node root;
  apply_override(root, "arrivals", "{kind: poisson, rate_hz: 5}");
  apply_override(root, "gammas", "[10, 100]");
  apply_override(root, "label", "'10'");
  ASSERT_TRUE(root["arrivals"].IsMap());
  EXPECT_EQ(root["arrivals"]["rate_hz"].as<int>(), 5);
  ASSERT_TRUE(root["gammas"].IsSequence());
  // A quoted value stays a string through the flow text, so a resolved file reads back the same.
  EXPECT_EQ(to_flow_yaml(root), "{arrivals: {kind: poisson, rate_hz: 5}, gammas: [10, 100], label: \"10\"}");
  EXPECT_EQ(YAML::Load(to_flow_yaml(root))["label"].Tag(), "!");
}

TEST(Overrides, NullStepBecomesMapAndListStepTakesIndex)
{
  YAML::Node root = YAML::Load("arrivals:\ndevices: [{gamma: 10}, {gamma: 20}]\n");
  apply_override(root, "arrivals.rate_hz", "5");
  apply_override(root, "devices.1.gamma", "50");
  EXPECT_EQ(to_flow_yaml(root), "{arrivals: {rate_hz: 5}, devices: [{gamma: 10}, {gamma: 50}]}");
}

TEST(Overrides, NullRemovesTheKey)
{
  YAML::Node root = YAML::Load("images: 10\nbottleneck: {rate: 20Mbps}\nuplink: {rate: 3g, latency_ms: 5}\n");
  apply_override(root, "bottleneck", "null");
  apply_override(root, "uplink.latency_ms", "~");
  apply_override(root, "absent", "null"); // removing what is not there is no error
  EXPECT_EQ(to_flow_yaml(root), "{images: 10, uplink: {rate: 3g}}");
}

TEST(Overrides, ErrorsWordForWord)
{
  YAML::Node root = YAML::Load("uplink: 3g\ndevices: [{gamma: 10}]\n");
  EXPECT_CONFIG_ERROR(apply_override(root, "uplink.rate", "4g"),
                      "key 'uplink.rate': 'uplink' is a value (3g), not a mapping");
  EXPECT_CONFIG_ERROR(apply_override(root, "a..b", "1"), "key 'a..b' has an empty part (write dotted keys as a.b.c)");
  EXPECT_CONFIG_ERROR(apply_override(root, ".a", "1"), "key '.a' has an empty part (write dotted keys as a.b.c)");
  EXPECT_CONFIG_ERROR(apply_override(root, "a.", "1"), "key 'a.' has an empty part (write dotted keys as a.b.c)");
  EXPECT_CONFIG_ERROR(apply_override(root, "", "1"), "key '' has an empty part (write dotted keys as a.b.c)");
  EXPECT_CONFIG_ERROR(apply_override(root, "devices.3.gamma", "1"),
                      "key 'devices.3.gamma': '3' must be a list index in 0..0 (got 3)");
  EXPECT_CONFIG_ERROR(apply_override(root, "devices.x.gamma", "1"),
                      "key 'devices.x.gamma': 'x' must be a list index in 0..0 (got x)");
  EXPECT_CONFIG_ERROR(apply_override(root, "arrivals", "{kind: poisson"),
                      "key 'arrivals': value is not valid YAML: end of map flow not found (got {kind: poisson)");
}

TEST(Overrides, ApplyOverridesInOrder)
{
  YAML::Node root;
  apply_overrides(root, {{"arrivals", "{kind: poisson, rate_hz: 5}"}, {"arrivals.rate_hz", "7"}});
  EXPECT_EQ(to_flow_yaml(root), "{arrivals: {kind: poisson, rate_hz: 7}}");
}

TEST(Overrides, ParseSetArgument)
{
  EXPECT_EQ(parse_set_argument("images=1500"), (std::pair<std::string, std::string>{"images", "1500"}));
  EXPECT_EQ(parse_set_argument("a.b=x=y"), (std::pair<std::string, std::string>{"a.b", "x=y"}));
  EXPECT_EQ(parse_set_argument("label="), (std::pair<std::string, std::string>{"label", ""}));
  EXPECT_CONFIG_ERROR(parse_set_argument("x"), "--set must be KEY=VALUE (got 'x')");
  EXPECT_CONFIG_ERROR(parse_set_argument("=3"), "--set must be KEY=VALUE (got '=3')");
  EXPECT_CONFIG_ERROR(parse_set_argument("a..b=1"), "key 'a..b' has an empty part (write dotted keys as a.b.c)");
}

TEST(Overrides, ObviouslyPlainScalarsAreThoseAParseReadsBack)
{
  using detail::obviously_plain;
  using detail::plain_round_trips;
  // Hand-picked: what campaigns write (numbers, names, paths, rates), and what must be quoted or parsed.
  for (const char* s : {"10", "0.05", "-5", "+3", ".5", "1.5e+3", "4g", "b-alexnet", "fixed:conv2", "/work/a.yaml",
                        "a/b", "_x", "007", "true", "yes", "2026-12-01", "10Gbps"})
    EXPECT_EQ(obviously_plain(s), std::string(s) != "fixed:conv2") << s; // ':' is left to the parse
  for (const char* s : {"", "null", "Null", "NULL", "~", "-", "--", "---", "...", ".", "+", "-.5", "./x", "a b",
                        "a: b", "#x", "x#", "'10'", "[1]", "{a}", "*x", "&x", "!x", "%x", "@x", "`x", "|", ">"})
    EXPECT_FALSE(obviously_plain(s)) << s;
  // Never claims a scalar that the parse would not read back as itself: 200,000 random strings over the characters
  // it accepts and the null words' letters, lengths 1 to 6, fixed seed.
  const std::string alphabet = "aZz09_.+/-nulNUL";
  std::uint64_t x = 0x9E3779B97F4A7C15ULL, claimed = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    for (std::uint64_t len = 1 + (x >> 61) % 6, k = 0; k < len; ++k)
      s += alphabet[(x >> (8 * k + 3)) % alphabet.size()];
    if (obviously_plain(s)) {
      ++claimed;
      ASSERT_TRUE(plain_round_trips(s)) << "'" << s << "'";
    }
  }
  EXPECT_GT(claimed, 100000U); // the fast path takes most of them
}

} // namespace
} // namespace popex
