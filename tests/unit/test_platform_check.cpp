// The platform validation layer (sim/config/platform_check.hpp) and the SimGrid option checks it shares with --cfg
// (sim/config/simgrid_options.hpp, sim/cli/simgrid_args.hpp). Every message is checked word for word; columns are
// counted from 1 in the documents built below.
#include "cli/simgrid_args.hpp"
#include "config/platform_check.hpp"
#include "config/simgrid_options.hpp"
#include "config/simgrid_units.hpp"
#include "config/xml_scanner.hpp"
#include "test_helpers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

using namespace popex;

namespace {

const std::string PROLOG = "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n";

/** A platform whose zone 'world' is on line 4: the first line of `body` is line 5. */
std::string zone(const std::string& body, const std::string& routing = "Full")
{
  return PROLOG + "<platform version=\"4.1\">\n<zone id=\"world\" routing=\"" + routing + "\">\n" + body +
         "</zone>\n</platform>\n";
}

/** An edge host and a cloud host (lines 5 to 8), then `routes` from line 9. */
std::string pair(const std::string& routes)
{
  return zone("<host id=\"edge\" speed=\"1Gf\"><prop id=\"role\" value=\"edge\"/></host>\n"
              "<host id=\"cloud\" speed=\"2Gf\" core=\"4\"><prop id=\"role\" value=\"cloud\"/></host>\n"
              "<link id=\"up\" bandwidth=\"1Mbps\" latency=\"10ms\"><prop id=\"role\" value=\"uplink\"/></link>\n"
              "<link id=\"down\" bandwidth=\"1Mbps\" latency=\"10ms\"><prop id=\"role\" value=\"downlink\"/></link>\n" +
              routes);
}

const std::string UP   = "<route src=\"edge\" dst=\"cloud\" symmetrical=\"NO\"><link_ctn id=\"up\"/></route>\n";
const std::string DOWN = "<route src=\"cloud\" dst=\"edge\" symmetrical=\"NO\"><link_ctn id=\"down\"/></route>\n";

/** `text` with byte `byte` inserted before the first occurrence of `before`. */
std::string insert_byte(std::string text, const std::string& before, char byte)
{
  text.insert(text.find(before), 1, byte);
  return text;
}

void check(const std::string& text)
{
  check_platform_text(text, "p.xml");
}

std::string host(const std::string& attributes)
{
  return zone("<host id=\"a\" " + attributes + "/>\n");
}

std::string link(const std::string& attributes)
{
  return zone("<link id=\"l\" " + attributes + "/>\n");
}

} // namespace

TEST(PlatformCheck, ShippedPlatformsPass)
{
  int checked = 0;
  for (const char* dir : {"platforms", "tests/data/platforms"})
    for (const auto& entry : std::filesystem::directory_iterator(source_path(dir)))
      if (entry.path().extension() == ".xml") {
        EXPECT_NO_THROW(check_platform_file(entry.path().string())) << entry.path();
        ++checked;
      }
  EXPECT_GE(checked, 8); // six in platforms/ (device-edge-cloud.xml among them), two in tests/data/platforms
  EXPECT_NO_THROW(check(pair(UP + DOWN)));
  EXPECT_NO_THROW(check(pair("<route src=\"edge\" dst=\"cloud\"><link_ctn id=\"up\"/></route>\n")));
}

TEST(PlatformCheck, SpeedsInSimGridUnits)
{
  // <host id="a" speed=" : the value starts at column 21.
  for (const char* ok : {"1Gf", "1e9f", " 1Gf", "2.5gigaflops", "1Gf, 2Gf ,3Gf", "0x10Gf", "1Ef", "1teraflops"})
    EXPECT_NO_THROW(check(host(std::string("speed=\"") + ok + "\""))) << ok;
  const std::string at = "p.xml:5:21: platform: host 'a': speed must ";
  EXPECT_THROW_MSG(check(host("speed=\"infGf\"")), at + "be within [1f, 1Ef] (got infGf)");
  EXPECT_THROW_MSG(check(host("speed=\"nanGf\"")), at + "be within [1f, 1Ef] (got nanGf)");
  EXPECT_THROW_MSG(check(host("speed=\"0f\"")), at + "be within [1f, 1Ef] (got 0f)");
  EXPECT_THROW_MSG(check(host("speed=\"-1Gf\"")), at + "be within [1f, 1Ef] (got -1Gf)");
  EXPECT_THROW_MSG(check(host("speed=\"1e400Gf\"")), at + "be within [1f, 1Ef] (got 1e400Gf)");
  EXPECT_THROW_MSG(check(host("speed=\"2Ef\"")), at + "be within [1f, 1Ef] (got 2Ef)");
  const std::string units = "be a number with a unit: f, kf, Mf, Gf, Tf, Pf, Ef, Zf, Yf or flops, kiloflops, ..., "
                            "yottaflops";
  EXPECT_THROW_MSG(check(host("speed=\"1 Gf\"")), at + units + " (got 1 Gf)");
  EXPECT_THROW_MSG(check(host("speed=\"1000\"")), at + units + " (got 1000)");
  EXPECT_THROW_MSG(check(host("speed=\"1zettaflops\"")), at + units + " (got 1zettaflops)");
  EXPECT_THROW_MSG(check(host("speed=\"1gf\"")), at + units + " (got 1gf)");
  EXPECT_THROW_MSG(check(host("speed=\"1Gf,0f\"")),
                   "p.xml:5:21: platform: host 'a': speed of pstate 1 must be within [1f, 1Ef] (got 0f)");
}

TEST(PlatformCheck, CoresAndPstates)
{
  // <host id="a" speed="1Gf" core=" : 31 columns.
  EXPECT_NO_THROW(check(host("speed=\"1Gf\" core=\"64\"")));
  EXPECT_NO_THROW(check(host("speed=\"1Gf\" core=\"1000000\"")));
  const std::string rule = "p.xml:5:32: platform: host 'a': core must be an integer within [1, 1000000] (got ";
  for (const char* bad : {"0", "99999999999", "4x", "-2", " 4", "", "1000001", "99999999999999999999999"})
    EXPECT_THROW_MSG(check(host(std::string("speed=\"1Gf\" core=\"") + bad + "\"")), rule + bad + ")");
  EXPECT_NO_THROW(check(host("speed=\"1Gf,2Gf\" pstate=\"1\"")));
  EXPECT_THROW_MSG(check(host("speed=\"1Gf\" pstate=\"3\"")),
                   "p.xml:5:34: platform: host 'a': pstate must be an integer within [0, 0], an index into the 1 "
                   "value of speed (got 3)");
  EXPECT_THROW_MSG(check(host("speed=\"1Gf,2Gf\" pstate=\"2\"")),
                   "p.xml:5:38: platform: host 'a': pstate must be an integer within [0, 1], an index into the 2 "
                   "values of speed (got 2)");
}

TEST(PlatformCheck, BandwidthsAndLatencies)
{
  for (const char* ok : {"1Mbps", "1kbps", "1KiBps", "2.5MiBps", "1Pbps", "1bps", "125MBps"})
    EXPECT_NO_THROW(check(link(std::string("bandwidth=\"") + ok + "\" latency=\"0\""))) << ok;
  // <link id="l" bandwidth=" : the value starts at column 25.
  const std::string bw = "p.xml:5:25: platform: link 'l': bandwidth must ";
  for (const char* bad : {"0Mbps", "-1Mbps", "nanMbps", "infMbps", "2Pbps", "0.5bps"})
    EXPECT_THROW_MSG(check(link(std::string("bandwidth=\"") + bad + "\" latency=\"0\"")),
                     bw + "be within [1bps, 1Pbps] (got " + bad + ")");
  const std::string units = "be a number with a unit: bps, kbps, Mbps, Gbps, ..., Kibps, Mibps, ..., and the same in "
                            "bytes: Bps, kBps, MBps, KiBps, ... (got ";
  for (const char* bad : {"fast", "1Kbps", "1mbps", "1Mbps,2Mbps", "1Mbps ", "1000"})
    EXPECT_THROW_MSG(check(link(std::string("bandwidth=\"") + bad + "\" latency=\"0\"")), bw + units + bad + ")");
  for (const char* ok : {"0", "0ms", "10ms", "1.5us", "1h", "1d", "-0ms"})
    EXPECT_NO_THROW(check(link(std::string("bandwidth=\"1Mbps\" latency=\"") + ok + "\""))) << ok;
  // <link id="l" bandwidth="1Mbps" latency=" : 40 columns.
  const std::string lat = "p.xml:5:41: platform: link 'l': latency must ";
  for (const char* bad : {"-5ms", "nanms", "infms", "2d", "1w"})
    EXPECT_THROW_MSG(check(link(std::string("bandwidth=\"1Mbps\" latency=\"") + bad + "\"")),
                     lat + "be within [0s, 1d] (got " + bad + ")");
  for (const char* bad : {"5", "5min", "5 ms", ""})
    EXPECT_THROW_MSG(check(link(std::string("bandwidth=\"1Mbps\" latency=\"") + bad + "\"")),
                     lat + "be a number with a unit: w, d, h, m, s, ms, us, ns, ps (got " + bad + ")");
  EXPECT_THROW_MSG(check(link("bandwidth=\"1Mbps\"")),
                   "p.xml:5:1: platform: link 'l': missing required attribute latency");
}

TEST(PlatformCheck, SimGridUnitGrammar)
{
  // Each prefix multiplies by 1000 (k, M, ...) or 1024 (Ki, Mi, ...); b is a bit, B a byte; results in bytes/s.
  EXPECT_EQ(parse_simgrid_value("1Mbps", SimgridUnit::BANDWIDTH), 125000.0);
  EXPECT_EQ(parse_simgrid_value("1KiBps", SimgridUnit::BANDWIDTH), 1024.0);
  EXPECT_EQ(parse_simgrid_value("1Mibps", SimgridUnit::BANDWIDTH), 131072.0); // 1024^2 / 8
  EXPECT_EQ(parse_simgrid_value("2kBps", SimgridUnit::BANDWIDTH), 2000.0);
  EXPECT_EQ(parse_simgrid_value("1Gf", SimgridUnit::SPEED), 1e9);
  EXPECT_EQ(parse_simgrid_value("1megaflops", SimgridUnit::SPEED), 1e6);
  EXPECT_EQ(parse_simgrid_value("1w", SimgridUnit::TIME), 604800.0);
  EXPECT_EQ(parse_simgrid_value("2m", SimgridUnit::TIME), 120.0);
  EXPECT_EQ(parse_simgrid_value("0", SimgridUnit::TIME), 0.0);
  EXPECT_FALSE(parse_simgrid_value("1", SimgridUnit::TIME));
  EXPECT_FALSE(parse_simgrid_value("1Kbps", SimgridUnit::BANDWIDTH));
  EXPECT_FALSE(parse_simgrid_value("1 s", SimgridUnit::TIME));
  EXPECT_TRUE(std::isnan(*parse_simgrid_value("1e-400s", SimgridUnit::TIME))); // SimGrid: "value out of range"
}

TEST(PlatformCheck, SharingPoliciesAndRoutings)
{
  for (const char* ok : {"SHARED", "SPLITDUPLEX", "FATPIPE"})
    EXPECT_NO_THROW(check(link(std::string("bandwidth=\"1Mbps\" latency=\"0\" sharing_policy=\"") + ok + "\"")));
  // <link id="l" bandwidth="1Mbps" latency="0" sharing_policy=" : 59 columns.
  const std::string at = "p.xml:5:60: platform: link 'l': sharing_policy must ";
  EXPECT_THROW_MSG(check(link("bandwidth=\"1Mbps\" latency=\"0\" sharing_policy=\"shared\"")),
                   at + "be one of SHARED, SPLITDUPLEX, FATPIPE (got shared)");
  EXPECT_THROW_MSG(check(link("bandwidth=\"1Mbps\" latency=\"0\" sharing_policy=\"FULLDUPLEX\"")),
                   at + "be SPLITDUPLEX, the new name of the deprecated FULLDUPLEX (got FULLDUPLEX)");
  EXPECT_THROW_MSG(check(link("bandwidth=\"1Mbps\" latency=\"0\" sharing_policy=\"WIFI\"")),
                   at + "not be WIFI: popex-sim does not support WiFi links, which refuse the bandwidth and latency "
                        "changes popex-sim makes (got WIFI)");
  for (const char* ok : {"Full", "full", "Floyd", "Dijkstra", "DijkstraCache", "None", "Cluster"})
    EXPECT_NO_THROW(check(zone("", ok))) << ok;
  // <zone id="world" routing=" : 26 columns, on line 4.
  EXPECT_THROW_MSG(check(zone("", "Star")), "p.xml:4:27: platform: zone 'world': routing must be one of Full, Floyd, "
                                            "Dijkstra, DijkstraCache, None, Vivaldi, Cluster (got Star)");
  EXPECT_THROW_MSG(check(zone("", "Wifi")),
                   "p.xml:4:27: platform: zone 'world': routing must not be Wifi: popex-sim does not support WiFi "
                   "zones, whose links refuse the bandwidth and latency changes popex-sim makes (got Wifi)");
  EXPECT_THROW_MSG(check(zone("<host id=\"a\" speed=\"1Gf\"/>\n", "Vivaldi")),
                   "p.xml:5:1: platform: host 'a': missing required attribute coordinates (zone 'world' has "
                   "routing=Vivaldi)");
  EXPECT_NO_THROW(check(zone("<host id=\"a\" speed=\"1Gf\" coordinates=\"1 -2.5 0\"/>\n", "Vivaldi")));
  EXPECT_THROW_MSG(check(host("speed=\"1Gf\" coordinates=\"1  2 3\"")),
                   "p.xml:5:39: platform: host 'a': coordinates must be three finite numbers separated by single "
                   "spaces, such as '1.5 -2 0' (got 1  2 3)");
}

TEST(PlatformCheck, UniqueNames)
{
  EXPECT_THROW_MSG(check(zone("<host id=\"a\" speed=\"1Gf\"/>\n<host id=\"a\" speed=\"2Gf\"/>\n")),
                   "p.xml:6:11: platform: host 'a': id must be unique among hosts and routers (first at 5:1) (got a)");
  EXPECT_THROW_MSG(check(zone("<router id=\"r\"/>\n<host id=\"r\" speed=\"2Gf\"/>\n")),
                   "p.xml:6:11: platform: host 'r': id must be unique among hosts and routers (first at 5:1) (got r)");
  // A link declared twice: SimGrid 3.32 aborts with an 18-line backtrace.
  EXPECT_THROW_MSG(check(zone("<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"/>\n"
                              "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"/>\n")),
                   "p.xml:6:11: platform: link 'l': id must be unique among links (first at 5:1) (got l)");
  EXPECT_THROW_MSG(check(zone("<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n"
                              "<link id=\"l_UP\" bandwidth=\"1Mbps\" latency=\"0\"/>\n")),
                   "p.xml:6:11: platform: link 'l_UP': id must be unique among links (the SPLITDUPLEX link 'l' at 5:1 "
                   "makes l_UP) (got l_UP)");
  EXPECT_THROW_MSG(check(zone("<link id=\"l_DOWN\" bandwidth=\"1Mbps\" latency=\"0\"/>\n"
                              "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n")),
                   "p.xml:6:11: platform: link 'l': id must be unique among links (this SPLITDUPLEX link makes l_DOWN, "
                   "declared at 5:1) (got l)");
  // A zone may share a host's name (SimGrid allows it), not a router's, nor another zone's.
  const std::string nested = PROLOG + "<platform version=\"4.1\">\n<zone id=\"world\" routing=\"Full\">\n";
  EXPECT_NO_THROW(check(nested + "<zone id=\"a\" routing=\"Full\"><host id=\"a\" speed=\"1Gf\"/></zone>\n"
                                 "</zone>\n</platform>\n"));
  EXPECT_THROW_MSG(check(nested + "<zone id=\"a\" routing=\"Full\"><router id=\"a\"/></zone>\n</zone>\n</platform>\n"),
                   "p.xml:5:41: platform: router 'a': id must differ from the zone of that name at 5:1 (got a)");
  EXPECT_THROW_MSG(check(nested + "<zone id=\"z\" routing=\"Full\"/>\n<zone id=\"z\" routing=\"Full\"/>\n</zone>\n"
                                  "</platform>\n"),
                   "p.xml:6:11: platform: zone 'z': id must be unique among zones (first at 5:1) (got z)");
  EXPECT_THROW_MSG(check(zone("<host id=\"\" speed=\"1Gf\"/>\n")),
                   "p.xml:5:11: platform: host '': id must be a non-empty name (got )");
}

TEST(PlatformCheck, Routes)
{
  const std::string two = "<host id=\"a\" speed=\"1Gf\"/>\n<host id=\"b\" speed=\"1Gf\"/>\n"
                          "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"/>\n";
  EXPECT_THROW_MSG(check(zone(two + "<route src=\"a\" dst=\"c\"><link_ctn id=\"l\"/></route>\n")),
                   "p.xml:8:21: platform: route a -> c: dst must name a host or router declared before it in zone "
                   "'world' (got c)");
  EXPECT_THROW_MSG(check(zone(two + "<route src=\"a\" dst=\"b\"><link_ctn id=\"uplnk\"/></route>\n")),
                   "p.xml:8:38: platform: route a -> b: link_ctn id must name a link declared before it (got uplnk)");
  EXPECT_THROW_MSG(check(zone(two + "<route src=\"a\" dst=\"b\"></route>\n")),
                   "p.xml:8:1: platform: route a -> b: must list at least one <link_ctn> (SimGrid refuses empty "
                   "routes)");
  EXPECT_THROW_MSG(check(zone(two + "<route src=\"a\" dst=\"b\"><link_ctn id=\"l\"/></route>\n"
                                    "<route src=\"b\" dst=\"a\"><link_ctn id=\"l\"/></route>\n")),
                   "p.xml:9:1: platform: route b -> a: must be declared once, but zone 'world' already has a route "
                   "b -> a (at 8:1): a route goes both ways unless symmetrical=\"NO\"");
  EXPECT_NO_THROW(check(zone(two + "<route src=\"a\" dst=\"b\" symmetrical=\"NO\"><link_ctn id=\"l\"/></route>\n"
                                   "<route src=\"b\" dst=\"a\" symmetrical=\"no\"><link_ctn id=\"l\"/></route>\n")));
  EXPECT_THROW_MSG(check(zone(two + "<route src=\"a\" dst=\"b\"><link_ctn id=\"l\"/></route>\n", "None")),
                   "p.xml:8:1: platform: route a -> b: zone 'world' has routing=None, which takes no <route> (routes "
                   "go in zones with routing Full, Floyd, Dijkstra or DijkstraCache)");
  EXPECT_THROW_MSG(check(zone(two + "<route src=\"a\" dst=\"b\"><link_ctn id=\"l\" direction=\"UP\"/></route>\n")),
                   "p.xml:8:38: platform: route a -> b: link_ctn id must name a link with sharing_policy=SPLITDUPLEX, "
                   "since direction is UP or DOWN (got l)");
  const std::string split = "<host id=\"a\" speed=\"1Gf\"/>\n<host id=\"b\" speed=\"1Gf\"/>\n"
                            "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\" sharing_policy=\"SPLITDUPLEX\"/>\n";
  EXPECT_NO_THROW(check(zone(split + "<route src=\"a\" dst=\"b\"><link_ctn id=\"l\" direction=\"UP\"/></route>\n")));
  EXPECT_NO_THROW(check(zone(split + "<route src=\"a\" dst=\"b\"><link_ctn id=\"l_DOWN\"/></route>\n")));
  EXPECT_THROW_MSG(check(zone(split + "<route src=\"a\" dst=\"b\"><link_ctn id=\"l\"/></route>\n")),
                   "p.xml:8:38: platform: route a -> b: link_ctn id must name l_UP or l_DOWN, or come with "
                   "direction=UP or DOWN: link 'l' is SPLITDUPLEX (got l)");
  EXPECT_THROW_MSG(check(zone(two + "<route src=\"a\" dst=\"b\"><link_ctn id=\"l\"/></route>\n"
                                    "<host id=\"c\" speed=\"1Gf\"/>\n")),
                   "p.xml:9:1: platform: zone 'world': <host> must come before the zone's routes (SimGrid reads them "
                   "last)");
}

TEST(PlatformCheck, RoutesBetweenZones)
{
  const std::string head = PROLOG + "<platform version=\"4.1\">\n<zone id=\"world\" routing=\"Full\">\n"
                                    "<zone id=\"z1\" routing=\"Full\"><host id=\"a\" speed=\"1Gf\"/></zone>\n"
                                    "<zone id=\"z2\" routing=\"Full\"><host id=\"b\" speed=\"1Gf\"/></zone>\n"
                                    "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"/>\n";
  const std::string tail = "</zone>\n</platform>\n";
  EXPECT_NO_THROW(check(head +
                        "<zoneRoute src=\"z1\" dst=\"z2\" gw_src=\"a\" gw_dst=\"b\"><link_ctn id=\"l\"/>"
                        "</zoneRoute>\n" +
                        tail));
  EXPECT_THROW_MSG(check(head +
                         "<zoneRoute src=\"z1\" dst=\"z2\" gw_src=\"b\" gw_dst=\"a\"><link_ctn id=\"l\"/>"
                         "</zoneRoute>\n" +
                         tail),
                   "p.xml:8:38: platform: zoneRoute z1 -> z2: gw_src must name a host or router inside zone 'z1' "
                   "(got b)");
  EXPECT_THROW_MSG(
      check(head +
            "<zoneRoute src=\"a\" dst=\"z2\" gw_src=\"a\" gw_dst=\"b\"><link_ctn id=\"l\"/>"
            "</zoneRoute>\n" +
            tail),
      "p.xml:8:17: platform: zoneRoute a -> z2: src must name a zone declared inside zone 'world' (got a)");
  EXPECT_THROW_MSG(check(head + "<route src=\"a\" dst=\"b\"><link_ctn id=\"l\"/></route>\n" + tail),
                   "p.xml:8:1: platform: zone 'world': <route> is not allowed in a zone of sub-zones: a zone holds "
                   "either hosts, routers and links, or sub-zones and links");
  EXPECT_THROW_MSG(check(zone("<host id=\"a\" speed=\"1Gf\"/>\n<zone id=\"z\" routing=\"Full\"/>\n")),
                   "p.xml:6:1: platform: zone 'world': <zone> is not allowed in a zone of hosts: a zone holds either "
                   "hosts, routers and links, or sub-zones and links");
}

TEST(PlatformCheck, RolesAcrossZones)
{
  // SimGrid joins zones through the zoneRoute of their common zone, then routes inside each to the gateways; a
  // missing piece crashes it in route_to(), without a message.
  const std::string head       = PROLOG + "<platform version=\"4.1\">\n<zone id=\"world\" routing=\"Full\">\n"
                                          "<zone id=\"z1\" routing=\"Full\">\n"
                                          "<host id=\"edge\" speed=\"1Gf\"><prop id=\"role\" value=\"edge\"/></host>\n"
                                          "<router id=\"gw\"/><link id=\"l1\" bandwidth=\"1Mbps\" latency=\"0\"/>\n";
  const std::string tail       = "</zone>\n<zone id=\"z2\" routing=\"Full\"><host id=\"cloud\" speed=\"1Gf\">"
                                 "<prop id=\"role\" value=\"cloud\"/></host></zone>\n"
                                 "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"/>\n";
  const std::string zone_route = "<zoneRoute src=\"z1\" dst=\"z2\" gw_src=\"gw\" gw_dst=\"cloud\"><link_ctn "
                                 "id=\"l\"/></zoneRoute>\n";
  const std::string inner      = "<route src=\"edge\" dst=\"gw\"><link_ctn id=\"l1\"/></route>\n";
  const std::string end        = "</zone>\n</platform>\n";
  EXPECT_NO_THROW(check(head + inner + tail + zone_route + end));
  EXPECT_THROW_MSG(check(head + inner + tail + end),
                   "p.xml:6:1: platform: host 'edge': a role=edge host must have a route to the cloud host 'cloud' "
                   "and back (zone 'world' has no zoneRoute z1 -> z2)");
  EXPECT_THROW_MSG(check(head + tail + zone_route + end),
                   "p.xml:6:1: platform: host 'edge': a role=edge host must have a route to the cloud host 'cloud' "
                   "and back (zone 'z1' has no route edge -> gw)");
}

TEST(PlatformCheck, Roles)
{
  EXPECT_THROW_MSG(check(zone("<host id=\"a\" speed=\"1Gf\"><prop id=\"role\" value=\"edge\"/>"
                              "<prop id=\"role\" value=\"cloud\"/></host>\n")),
                   "p.xml:5:79: platform: host 'a': property role must be given once (first at 5:26) (got cloud)");
  EXPECT_THROW_MSG(check(zone("<host id=\"a\" speed=\"1Gf\"><prop id=\"role\" value=\"fog\"/></host>\n")),
                   "p.xml:5:49: platform: host 'a': property role must be one of edge, cloud, edge-server (got fog)");
  EXPECT_THROW_MSG(check(link("bandwidth=\"1Mbps\" latency=\"0\"><prop id=\"role\" value=\"up\"/></link")),
                   "p.xml:5:67: platform: link 'l': property role must be one of uplink, downlink, bottleneck, "
                   "backhaul (got up)");
  EXPECT_NO_THROW(check(zone("<host id=\"a\" speed=\"1Gf\"><prop id=\"role\" value=\"edge-server\"/></host>\n"
                             "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"><prop id=\"role\" value=\"backhaul\"/>"
                             "</link>\n")));
  // No route back: SimGrid 3.32 crashes in route_to().
  EXPECT_THROW_MSG(check(pair(UP)), "p.xml:5:1: platform: host 'edge': a role=edge host must have a route to the "
                                    "cloud host 'cloud' and back (zone 'world' has no route cloud -> edge)");
  EXPECT_THROW_MSG(check(pair("")), "p.xml:5:1: platform: host 'edge': a role=edge host must have a route to the "
                                    "cloud host 'cloud' and back (zone 'world' has no route edge -> cloud)");
  // In a Floyd zone, routes chain through a router.
  EXPECT_NO_THROW(check(zone("<host id=\"e\" speed=\"1Gf\"><prop id=\"role\" value=\"edge\"/></host>\n"
                             "<host id=\"c\" speed=\"1Gf\"><prop id=\"role\" value=\"cloud\"/></host>\n"
                             "<router id=\"r\"/>\n<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"/>\n"
                             "<route src=\"e\" dst=\"r\"><link_ctn id=\"l\"/></route>\n"
                             "<route src=\"r\" dst=\"c\"><link_ctn id=\"l\"/></route>\n",
                             "Floyd")));
}

TEST(PlatformCheck, ThreeTierRoutes)
{
  // Edge hosts reach their edge server (the only one, or the one their property edge_server names), edge servers
  // reach the cloud; an edge host needs no route of its own to the cloud.
  const std::string hosts =
      "<host id=\"e\" speed=\"1Gf\"><prop id=\"role\" value=\"edge\"/><prop id=\"edge_server\" value=\"s2\"/></host>\n"
      "<host id=\"s1\" speed=\"1Gf\"><prop id=\"role\" value=\"edge-server\"/></host>\n"
      "<host id=\"s2\" speed=\"1Gf\"><prop id=\"role\" value=\"edge-server\"/></host>\n"
      "<host id=\"c\" speed=\"1Gf\"><prop id=\"role\" value=\"cloud\"/></host>\n"
      "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"/>\n";
  const std::string backhauls = "<route src=\"s1\" dst=\"c\"><link_ctn id=\"l\"/></route>\n"
                                "<route src=\"s2\" dst=\"c\"><link_ctn id=\"l\"/></route>\n";
  EXPECT_NO_THROW(check(zone(hosts + backhauls + "<route src=\"e\" dst=\"s2\"><link_ctn id=\"l\"/></route>\n")));
  EXPECT_THROW_MSG(check(zone(hosts + backhauls + "<route src=\"e\" dst=\"s1\"><link_ctn id=\"l\"/></route>\n")),
                   "p.xml:5:1: platform: host 'e': a role=edge host must have a route to its edge server 's2' and "
                   "back (zone 'world' has no route e -> s2)");
  EXPECT_THROW_MSG(check(zone(hosts + "<route src=\"s1\" dst=\"c\"><link_ctn id=\"l\"/></route>\n"
                                      "<route src=\"e\" dst=\"s2\"><link_ctn id=\"l\"/></route>\n")),
                   "p.xml:7:1: platform: host 's2': a role=edge-server host must have a route to the cloud host 'c' "
                   "and back (zone 'world' has no route s2 -> c)");
}

TEST(PlatformCheck, ZoneSizes)
{
  // SimGrid's Full zones keep an n x n route table: 10,001 hosts would take more than 1 GB.
  std::string hosts;
  for (int i = 0; i <= 10000; ++i)
    hosts += "<host id=\"h" + std::to_string(i) + "\" speed=\"1Gf\"/>\n";
  EXPECT_THROW_MSG(check(zone(hosts)), "p.xml:10005:1: platform: host 'h10000': zone 'world' must hold at most 10000 "
                                       "hosts and routers with routing=Full: SimGrid keeps route tables of n x n "
                                       "entries (about 1 GB at 10000), so split them into sub-zones");
  EXPECT_NO_THROW(check(zone(hosts, "Dijkstra")));
}

TEST(PlatformCheck, XmlSyntax)
{
  const std::string at     = "p.xml:5:";
  const std::string syntax = ": platform: XML syntax error: ";
  // A NUL byte inside an attribute: SimGrid 3.32 reads the value up to it, silently.
  EXPECT_THROW_MSG(check(insert_byte(host("speed=\"1Gf\" core=\"42\""), "2\"", '\0')),
                   at + "33" + syntax + "file must be text (got byte 0x00)");
  EXPECT_THROW_MSG(check(insert_byte(host("speed=\"1Gf\""), "1Gf", '\x01')),
                   at + "21" + syntax + "file must be text (got byte 0x01)");
  EXPECT_THROW_MSG(check("\xEF\xBB\xBF" + pair(UP + DOWN)),
                   "p.xml:1:1" + syntax +
                       "the file must not start with a byte-order mark (SimGrid's parser refuses "
                       "it)");
  EXPECT_THROW_MSG(check(""), "p.xml:1:1" + syntax + "the file has no root element");
  EXPECT_THROW_MSG(check(PROLOG + "<!-- a comment\n"),
                   "p.xml:3:1" + syntax + "the comment is not closed (missing -->)");
  EXPECT_THROW_MSG(check("this is not xml"),
                   "p.xml:1:1" + syntax + "text is not allowed outside the root element (got 'this is not xml')");
  EXPECT_THROW_MSG(check(PROLOG + "<platform version=\"4.1\">\n<zone id=\"w\" routing=\"Full\">\n"),
                   "p.xml:5:1" + syntax + "the file ends inside <zone> (opened at 4:1): </zone> expected");
  EXPECT_THROW_MSG(check(zone("</host>\n")),
                   at + "1" + syntax + "the end tag </host> does not match <zone> (opened at 4:1)");
  EXPECT_THROW_MSG(check(zone("hello\n")), at + "1" + syntax + "text is not allowed between elements (got 'hello')");
  EXPECT_THROW_MSG(check(zone("<![CDATA[x]]>\n")),
                   at + "1" + syntax + "'<!' must start a comment <!-- --> (got '<![CDATA[x]]...')");
  EXPECT_THROW_MSG(check(host("id=\"b\" speed=\"1Gf\"")),
                   at + "14" + syntax + "attribute id must be given once in <host> (first at 5:7)");
  EXPECT_THROW_MSG(check(host("speed=1Gf")), at + "14" + syntax +
                                                 "attribute speed must be followed by = and a quoted "
                                                 "value");
  EXPECT_THROW_MSG(check(host("speed=\"1Gf\" core=\"a&b\"")),
                   at + "33" + syntax + "'&' must start an entity: &amp; &lt; &gt; &quot; &apos; or &#N; (got '&b')");
  // Entities are decoded before the checks, and quoted back as printable text.
  EXPECT_NO_THROW(check(host("speed=\"1&#71;f&#x0a;\""))); // "1Gf\n": SimGrid trims each speed
  EXPECT_THROW_MSG(check(host("speed=\"1Gf\" core=\"4&#x0a;\"")),
                   at + "32: platform: host 'a': core must be an integer within [1, 1000000] (got 4\\x0a)");
  EXPECT_THROW_MSG(check(host("speed=\"1Gf\" core=\"&#0;\"")),
                   at + "32" + syntax +
                       "a character reference must name a printable ASCII character, such as &#65; or "
                       "&#x41; (got '&#0;')");
  // id, speed and a0 to a62 make 65 attributes: the 65th is refused at its name.
  std::string many = "speed=\"1Gf\"";
  for (int i = 0; i < 63; ++i)
    many += " a" + std::to_string(i) + "=\"\"";
  const std::string line = "<host id=\"a\" " + many + "/>";
  EXPECT_THROW_MSG(check(host(many)), at + std::to_string(line.find("a62=") + 1) + syntax +
                                          "the tag <host> must have at most 64 attributes");
  // <platform> and 99 zones nest 100 deep: the next zone, on line 4, is refused.
  std::string deep        = PROLOG + "<platform version=\"4.1\">\n";
  const std::size_t line4 = deep.size();
  for (int i = 0; i < max_xml_depth - 1; ++i)
    deep += "<zone id=\"z" + std::to_string(i) + "\" routing=\"Full\">";
  const std::size_t col = deep.size() - line4 + 1;
  EXPECT_THROW_MSG(check(deep + "<zone id=\"last\" routing=\"Full\">"),
                   "p.xml:4:" + std::to_string(col) + syntax +
                       "elements must nest at most 100 deep (got <zone> deeper)");
}

TEST(PlatformCheck, Structure)
{
  EXPECT_THROW_MSG(check("<?xml version='1.0'?>\n<platform version=\"4.1\"/>\n"),
                   "p.xml:2:1: platform: the DOCTYPE <!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\"> "
                   "must come before <platform> (SimGrid's parser requires it)");
  EXPECT_THROW_MSG(check("<!DOCTYPE platform SYSTEM \"simgrid.dtd\">\n<platform version=\"4.1\"/>\n"),
                   "p.xml:1:1: platform: the DOCTYPE must be <!DOCTYPE platform SYSTEM "
                   "\"https://simgrid.org/simgrid.dtd\"> (got <!DOCTYPE platform SYSTEM \"simgrid.dtd\">)");
  EXPECT_NO_THROW(check("<!DOCTYPE  platform\n SYSTEM 'http://simgrid.gforge.inria.fr/simgrid/simgrid.dtd' >\n"
                        "<platform version=\"4\"/>\n"));
  EXPECT_THROW_MSG(check(PROLOG + "<platform version=\"3\"/>\n"),
                   "p.xml:3:20: platform: version must be 4 or 4.1, the formats SimGrid 3.32 reads (got 3)");
  EXPECT_THROW_MSG(check(PROLOG + "<platform/>\n"), "p.xml:3:1: platform: missing required attribute version");
  EXPECT_THROW_MSG(check(PROLOG + "<zone id=\"w\" routing=\"Full\"/>\n"),
                   "p.xml:3:1: platform: the root element must be <platform> (got <zone>)");
  EXPECT_THROW_MSG(check(zone("<cluster id=\"c\"/>\n")),
                   "p.xml:5:1: platform: zone 'world': <cluster> is not supported by popex-sim: the hosts it makes "
                   "cannot carry the role property (declare <host> elements, in a zone with routing=Cluster for a "
                   "star)");
  EXPECT_THROW_MSG(check(zone("<include file=\"x.xml\"/>\n")),
                   "p.xml:5:1: platform: zone 'world': <include> was removed in SimGrid 3.18");
  EXPECT_THROW_MSG(check(zone("<trace id=\"t\" periodicity=\"1\"/>\n")),
                   "p.xml:5:1: platform: zone 'world': <trace> is not supported by popex-sim: give link rate traces "
                   "in the scenario (uplink.trace, bottleneck.trace), where the agents can observe them");
  EXPECT_THROW_MSG(check(zone("<hots id=\"a\"/>\n")),
                   "p.xml:5:1: platform: zone 'world': <hots> is not an element of SimGrid's platform format (valid: "
                   "platform, config, zone, AS, host, disk, router, link, backbone, host_link, route, zoneRoute, "
                   "ASroute, bypassRoute, bypassZoneRoute, bypassASroute, link_ctn, prop)");
  EXPECT_THROW_MSG(check(host("speed=\"1Gf\" cores=\"4\"")),
                   "p.xml:5:26: platform: host 'a': attribute cores is not allowed in <host> (valid: id, speed, core, "
                   "pstate, coordinates)");
  EXPECT_THROW_MSG(check(host("speed=\"1Gf\" speed_file=\"s.profile\"")),
                   "p.xml:5:26: platform: host 'a': speed_file is not supported by popex-sim: give link rate traces in "
                   "the scenario (uplink.trace, bottleneck.trace), where the agents can observe them");
  EXPECT_THROW_MSG(check(zone("<host id=\"a\" speed=\"1Gf\"/>\n<prop id=\"x\" value=\"1\"/>\n")),
                   "p.xml:6:1: platform: zone 'world': <prop> must come before the zone's other elements");
  EXPECT_THROW_MSG(check(zone("<host id=\"a\" speed=\"1Gf\"><route src=\"a\" dst=\"a\"/></host>\n")),
                   "p.xml:5:26: platform: host 'a': <route> is not allowed inside <host>");
  EXPECT_THROW_MSG(check(PROLOG + "<platform version=\"4.1\"><zone id=\"a\" routing=\"Full\"/><zone id=\"b\" "
                                  "routing=\"Full\"/></platform>\n"),
                   "p.xml:3:54: platform: <platform> must hold one top-level zone (put the others inside it)");
  EXPECT_THROW_MSG(check(zone("<backbone id=\"bb\" bandwidth=\"1Gbps\" latency=\"0\"/>\n")),
                   "p.xml:5:1: platform: backbone 'bb': <backbone> is only read in a zone with routing=Cluster (zone "
                   "'world' has routing=Full)");
  EXPECT_NO_THROW(check(zone("<host id=\"a\" speed=\"1Gf\"/>\n<link id=\"u\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
                             "<backbone id=\"bb\" bandwidth=\"1Gbps\" latency=\"0\"/>\n"
                             "<host_link id=\"a\" up=\"u\" down=\"u\"/>\n",
                             "Cluster")));
  EXPECT_THROW_MSG(check(PROLOG + "<platform version=\"4.1\"><config><prop id=\"surf/precision\" value=\"-1\"/>"
                                  "</config></platform>\n"),
                   "p.xml:3:66: platform: config: surf/precision must be a finite number within (0, 0.001] seconds "
                   "(got -1)");
}

TEST(PlatformCheck, Files)
{
  const std::string dir = ::testing::TempDir() + "popex-platform-check";
  std::filesystem::create_directories(dir);
  EXPECT_THROW_MSG(check_platform_file(dir), dir + ": platform file must be a regular file (got a directory)");
  const std::string fifo = dir + "/fifo.xml";
  std::filesystem::remove(fifo);
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // A FIFO with no writer: refused at once, never waited on.
  EXPECT_THROW_MSG(check_platform_file(fifo), fifo + ": platform file must be a regular file (got a FIFO)");
  std::filesystem::remove(fifo);
  EXPECT_THROW_MSG(check_platform_file(dir + "/none.xml"),
                   dir + "/none.xml: cannot open platform file (No such file or directory)");
  EXPECT_THROW_MSG(check_platform_text(std::string(max_platform_file_bytes + 1, ' '), "big.xml"),
                   "big.xml: platform: file must be at most 67108864 bytes, 64 MiB (got 67108865 bytes)");
}

TEST(SimgridOptions, CfgArguments)
{
  for (const char* ok : {"--cfg=network/model:CM02", "--cfg=surf/precision:1e-6", "--cfg=contexts/factory:thread",
                         "--cfg=contexts/stack-size:0x100", "--cfg=network/crosstraffic:no,network/TCP-gamma:0",
                         "--cfg=contexts/guard-size:0", "--cfg=maxmin/concurrency-limit:-1", "--cfg=tracing:yes",
                         "--log=root.thres:info"})
    EXPECT_NO_THROW(check_simgrid_args({ok})) << ok;
  const auto cfg = [](const std::string& arg) { check_simgrid_args({arg}); };
  // --cfg=surf/precision:-1 spins for ever in SimGrid 3.32; abc gave "SimGrid option: invalid double".
  EXPECT_THROW_MSG(cfg("--cfg=surf/precision:-1"),
                   "--cfg surf/precision must be a finite number within (0, 0.001] seconds (got '-1')");
  EXPECT_THROW_MSG(cfg("--cfg=maxmin/precision:abc"),
                   "--cfg maxmin/precision must be a finite number within (0, 0.001] flop/s or bytes/s (got 'abc')");
  EXPECT_THROW_MSG(cfg("--cfg=contexts/factory:bogus"),
                   "--cfg contexts/factory must be one of raw, ucontext, boost, thread (got 'bogus')");
  EXPECT_THROW_MSG(cfg("--cfg=contexts/stack-size:0"),
                   "--cfg contexts/stack-size must be an integer within [16, 1048576] KiB (got '0')");
  EXPECT_THROW_MSG(cfg("--cfg=contexts/nthreads:2"),
                   "--cfg contexts/nthreads must be 1 (popex-sim's actors share state without locks, so they cannot "
                   "run in parallel) (got '2')");
  EXPECT_THROW_MSG(cfg("--cfg=maxmin/concurrency-limit:0"),
                   "--cfg maxmin/concurrency-limit must be an integer >= -1 other than 0 (-1 means no limit, and 0 "
                   "deadlocks) (got '0')");
  EXPECT_THROW_MSG(cfg("--cfg=network/crosstraffic:maybe"),
                   "--cfg network/crosstraffic must be a boolean: yes, on, true, 1, no, off, false or 0 (got 'maybe')");
  EXPECT_THROW_MSG(cfg("--cfg=network/TCP-gamma:-1"),
                   "--cfg network/TCP-gamma must be a finite number >= 0 bytes (got '-1')");
  EXPECT_THROW_MSG(cfg("--cfg=network/model:ns-3"),
                   "--cfg network/model must be one of LV08, CM02, SMPI, IB (Constant has no links, and ns-3 cannot "
                   "change a link's bandwidth, which popex-sim does) (got 'ns-3')");
  EXPECT_THROW_MSG(cfg("--cfg=disk/model:S19"), "--cfg disk/model must be one of default (got 'S19')");
  EXPECT_THROW_MSG(cfg("--cfg=cmonkey/time:1"),
                   "--cfg cmonkey/time must not be set (the chaos monkey kills hosts and links, and popex-sim's actors "
                   "do not survive failures) (got '1')");
  EXPECT_THROW_MSG(cfg("--cfg=debug/breakpoint:0"),
                   "--cfg debug/breakpoint must be a finite number < 0 (a breakpoint raises SIGTRAP, which ends "
                   "popex-sim with a core dump) (got '0')");
  EXPECT_THROW_MSG(cfg("--cfg=contexts/stack-size:99999999999"),
                   "--cfg contexts/stack-size must be an integer within [16, 1048576] KiB (got '99999999999')");
  EXPECT_THROW_MSG(cfg("--cfg=tracing/comment-file:/dev/zero"),
                   "--cfg tracing/comment-file must name a regular file of at most 1 MiB (SimGrid reads it whole) "
                   "(got '/dev/zero')");
  EXPECT_THROW_MSG(cfg("--cfg=tracing/filename:/no/such/folder/x.trace"),
                   "--cfg tracing/filename must name a file in an existing folder (SimGrid creates the file, not the "
                   "folder) (got '/no/such/folder/x.trace')");
  EXPECT_NO_THROW(cfg("--cfg=tracing/filename:x.trace"));
  // Unknown keys: the nearest option when there is one.
  EXPECT_THROW_MSG(cfg("--cfg=network/tcp-gamma:1"),
                   "--cfg key must name a SimGrid 3.32 option (did you mean network/TCP-gamma?) (got "
                   "'network/tcp-gamma')");
  EXPECT_THROW_MSG(cfg("--cfg=bogus:1"), "--cfg key must name a SimGrid 3.32 option, such as network/model, "
                                         "surf/precision or contexts/stack-size (got 'bogus')");
  // SimGrid splits on blanks and commas: every piece is checked, and one without ':' would abort it.
  EXPECT_THROW_MSG(cfg("--cfg=network/crosstraffic:0,surf/precision:-1"),
                   "--cfg surf/precision must be a finite number within (0, 0.001] seconds (got '-1')");
  EXPECT_THROW_MSG(cfg("--cfg=path:/a b"),
                   "--cfg must be --cfg=KEY:VALUE, e.g. --cfg=network/model:LV08 (got '--cfg=path:/a b')");
  EXPECT_THROW_MSG(cfg("--cfg="), "--cfg must be --cfg=KEY:VALUE, e.g. --cfg=network/model:LV08 (got '--cfg=')");
  EXPECT_THROW_MSG(cfg("--log=root.thres:loud"),
                   "--log threshold must be one of trace, debug, verbose, info, warning, error, critical (got 'loud')");
  ASSERT_TRUE(simgrid_option_problem("surf/precision", "1e-9") == std::nullopt);
}
