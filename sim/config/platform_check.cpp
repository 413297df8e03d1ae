#include "config/platform_check.hpp"
#include "config/simgrid_options.hpp"
#include "config/simgrid_units.hpp"
#include "config/xml_scanner.hpp"
#include "core/config_error.hpp"
#include "io/input_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace popex {

namespace {

enum class El {
  PLATFORM,
  CONFIG,
  ZONE,
  HOST,
  DISK,
  ROUTER,
  LINK,
  BACKBONE,
  HOST_LINK,
  ROUTE,
  ZONE_ROUTE,
  BYPASS_ROUTE,
  BYPASS_ZONE_ROUTE,
  LINK_CTN,
  PROP
};

/** An element of the DTD v4.1 that popex-sim accepts, with its attributes (space-separated). */
struct ElementSpec {
  std::string_view tag;
  El element;
  std::string_view required;
  std::string_view optional;
};

// SimGrid 3.32 reads a missing link latency as "" and fails ("cannot parse number:"), despite the DTD's default:
// it is required here. The deprecated AS, ASroute and bypassASroute still work in SimGrid 3.32.
constexpr std::array ELEMENTS{
    ElementSpec{"platform", El::PLATFORM, "version", ""},
    ElementSpec{"config", El::CONFIG, "", "id"},
    ElementSpec{"zone", El::ZONE, "id routing", ""},
    ElementSpec{"AS", El::ZONE, "id routing", ""},
    ElementSpec{"host", El::HOST, "id speed", "core pstate coordinates"},
    ElementSpec{"disk", El::DISK, "read_bw write_bw", "id"},
    ElementSpec{"router", El::ROUTER, "id", "coordinates"},
    ElementSpec{"link", El::LINK, "id bandwidth latency", "sharing_policy"},
    ElementSpec{"backbone", El::BACKBONE, "id bandwidth latency", ""},
    ElementSpec{"host_link", El::HOST_LINK, "id up down", ""},
    ElementSpec{"route", El::ROUTE, "src dst", "symmetrical"},
    ElementSpec{"zoneRoute", El::ZONE_ROUTE, "src dst gw_src gw_dst", "symmetrical"},
    ElementSpec{"ASroute", El::ZONE_ROUTE, "src dst gw_src gw_dst", "symmetrical"},
    ElementSpec{"bypassRoute", El::BYPASS_ROUTE, "src dst", ""},
    ElementSpec{"bypassZoneRoute", El::BYPASS_ZONE_ROUTE, "src dst gw_src gw_dst", ""},
    ElementSpec{"bypassASroute", El::BYPASS_ZONE_ROUTE, "src dst gw_src gw_dst", ""},
    ElementSpec{"link_ctn", El::LINK_CTN, "id", "direction"},
    ElementSpec{"prop", El::PROP, "id value", ""},
};

/** Elements of the DTD that SimGrid 3.32 or popex-sim refuse, and why. */
struct Refusal {
  std::string_view name;
  std::string_view why;
};

constexpr std::string_view NO_PROFILES = "is not supported by popex-sim: give link rate traces in the scenario "
                                         "(uplink.trace, bottleneck.trace), where the agents can observe them";
constexpr std::string_view NO_CLUSTERS = "is not supported by popex-sim: the hosts it makes cannot carry the role "
                                         "property (declare <host> elements, in a zone with routing=Cluster for a "
                                         "star)";
constexpr std::string_view NO_ACTORS   = "is not supported by popex-sim, which starts its own actors";

constexpr std::array REFUSED_ELEMENTS{
    Refusal{"include", "was removed in SimGrid 3.18"},
    Refusal{"storage", "was removed in SimGrid 3.27"},
    Refusal{"storage_type", "was removed in SimGrid 3.27"},
    Refusal{"mount", "was removed in SimGrid 3.27"},
    Refusal{"cluster", NO_CLUSTERS},
    Refusal{"cabinet", NO_CLUSTERS},
    Refusal{"peer", NO_CLUSTERS},
    Refusal{"trace", NO_PROFILES},
    Refusal{"trace_connect", NO_PROFILES},
    Refusal{"actor", NO_ACTORS},
    Refusal{"process", NO_ACTORS},
    Refusal{"argument", NO_ACTORS},
    Refusal{"random", "is deprecated and ignored by SimGrid: remove it"},
    Refusal{"model_prop", "is deprecated and ignored by SimGrid: remove it"},
};

/** Profile attributes: SimGrid would change speeds, rates and states behind popex-sim's back. */
constexpr std::array REFUSED_ATTRIBUTES{Refusal{"speed_file", NO_PROFILES}, Refusal{"availability_file", NO_PROFILES},
                                        Refusal{"state_file", NO_PROFILES}, Refusal{"bandwidth_file", NO_PROFILES},
                                        Refusal{"latency_file", NO_PROFILES}};

enum class Routing { FULL, FLOYD, DIJKSTRA, DIJKSTRA_CACHE, NONE, VIVALDI, CLUSTER };
constexpr std::array<std::string_view, 7> ROUTINGS{"Full", "Floyd",   "Dijkstra", "DijkstraCache",
                                                   "None", "Vivaldi", "Cluster"};

bool is_route(El e)
{
  return e == El::ROUTE || e == El::ZONE_ROUTE || e == El::BYPASS_ROUTE || e == El::BYPASS_ZONE_ROUTE;
}

/** Full, Floyd and Dijkstra zones take <route> elements; the others compute routes themselves or have none. */
bool declares_routes(Routing r)
{
  return r == Routing::FULL || r == Routing::FLOYD || r == Routing::DIJKSTRA || r == Routing::DIJKSTRA_CACHE;
}

constexpr std::array<std::string_view, 3> HOST_ROLES{"edge", "cloud", "edge-server"};
constexpr std::array<std::string_view, 4> LINK_ROLES{"uplink", "downlink", "bottleneck", "backhaul"};
constexpr std::array<std::string_view, 3> POLICIES{"SHARED", "SPLITDUPLEX", "FATPIPE"};
constexpr std::array<std::string_view, 4> SYMMETRICAL{"YES", "NO", "yes", "no"};
constexpr std::array<std::string_view, 3> DIRECTIONS{"UP", "DOWN", "NONE"};
constexpr std::string_view DOCTYPE = R"(<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">)";

/**
 * The range of each unit family: outside it SimGrid aborts, hangs or loses precision (0, NaN, inf, a negative
 * latency), and no real system is there. Bandwidths are those of the scenario's rates (1 bit/s to 1 Pbit/s).
 */
struct UnitRange {
  double lo;
  double hi;
  std::string_view text;
};
constexpr UnitRange SPEED_RANGE{1, 1e18, "[1f, 1Ef]"};
constexpr UnitRange BANDWIDTH_RANGE{0.125, 1.25e14, "[1bps, 1Pbps]"};
constexpr UnitRange TIME_RANGE{0, 86400, "[0s, 1d]"};
constexpr long MAX_CORES = 1000000;

/** SimGrid's Full and Floyd zones keep n x n route tables: measured 235 MB (Full) and 627 MB (Floyd) at n = 5000. */
struct ZoneBound {
  Routing routing;
  int max_points;
  std::string_view memory;
};
constexpr std::array ZONE_BOUNDS{ZoneBound{Routing::FULL, 10000, "about 1 GB"},
                                 ZoneBound{Routing::FLOYD, 5000, "about 0.6 GB"}};

bool iequals(std::string_view a, std::string_view b)
{
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

/** Splits on `sep`, keeping empty pieces, as SimGrid's boost::split does. */
std::vector<std::string_view> split(std::string_view text, char sep)
{
  std::vector<std::string_view> out;
  for (std::size_t at = 0;;) {
    const std::size_t end = std::min(text.find(sep, at), text.size());
    out.push_back(text.substr(at, end - at));
    if (end == text.size())
      return out;
    at = end + 1;
  }
}

std::string_view trim(std::string_view s)
{
  const std::size_t from = s.find_first_not_of(" \t\n\v\f\r");
  if (from == std::string_view::npos)
    return {};
  return s.substr(from, s.find_last_not_of(" \t\n\v\f\r") + 1 - from);
}

template <class List, class Value>
bool contains(const List& list, const Value& value)
{
  return std::find(list.begin(), list.end(), value) != list.end();
}

template <class List>
std::string join(const List& list)
{
  return fmt::format("{}", fmt::join(list, ", "));
}

/** The words of `text` between blanks (space, tab, CR, LF). */
std::vector<std::string_view> words(std::string_view text)
{
  std::vector<std::string_view> out;
  for (std::size_t at = text.find_first_not_of(" \t\r\n"); at != std::string_view::npos;) {
    const std::size_t end = std::min(text.find_first_of(" \t\r\n", at), text.size());
    out.push_back(text.substr(at, end - at));
    at = text.find_first_not_of(" \t\r\n", end);
  }
  return out;
}

/** A whole-text unsigned integer of at most 18 digits, or nullopt. */
std::optional<long> parse_count(std::string_view text)
{
  long v = 0;
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

/** A whole-text finite number, or nullopt. */
std::optional<double> parse_finite(std::string_view text)
{
  const std::string s(text);
  char* end      = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

} // namespace

/** Walks the platform's markup in order and keeps the names, zones and routes its rules need. */
class PlatformChecker final : public XmlHandler {
public:
  explicit PlatformChecker(const std::string& file) : file_(file) {}

  void on_doctype(std::string_view text, const XmlPos& pos) override;
  void on_start(const XmlStartTag& tag) override;
  void on_end(const XmlPos& pos) override;
  /** The checks that need the whole platform: routes between the edge hosts and the cloud. */
  void finish();

private:
  enum class Kind { HOST, ROUTER, ZONE };
  enum class Mode { EMPTY, LEAF, CONTAINER };

  /** A host, router or zone: SimGrid's netpoints, which share one namespace. */
  struct Netpoint {
    std::string name;
    Kind kind;
    int zone; //!< the zone it is in; for a zone, the zone itself
    XmlPos pos;
  };
  struct Zone {
    std::string id;
    Routing routing = Routing::FULL;
    int parent      = -1;
    Mode mode       = Mode::EMPTY;
    bool routes     = false; //!< a route was seen: only routes may follow
    bool backbone   = false;
    int points      = 0;                                         //!< hosts and routers
    int point       = -1;                                        //!< its own netpoint
    std::map<std::pair<int, int>, XmlPos> routes_from_to;        //!< netpoints joined, both ways when symmetrical
    std::map<std::pair<int, int>, std::pair<int, int>> gateways; //!< zoneRoutes: sub-zones -> gw_src, gw_dst
  };
  struct LinkInfo {
    XmlPos pos;
    bool split = false;  //!< a SPLITDUPLEX link: routes use its _UP and _DOWN halves
    std::string made_by; //!< for a half: the SPLITDUPLEX link that makes it
  };
  /** An open element. */
  struct Frame {
    El element = El::PLATFORM;
    std::string tag;
    std::string who; //!< how messages name it: "host 'edge'", "route edge -> cloud"
    XmlPos pos;
    int zone     = -1; //!< the zone it is in (for a zone: itself)
    int children = 0;  //!< child elements other than <prop>
    std::map<std::string, XmlPos, std::less<>> props;
    std::string role;
    std::string edge_server;      //!< host: its property edge_server (three tiers)
    int netpoint       = -1;      //!< host: its netpoint
    std::size_t speeds = 0;       //!< host: its number of pstates
    int src = -1, dst = -1;       //!< routes: the netpoints (hosts, routers or zones) they join
    int gw_src = -1, gw_dst = -1; //!< zoneRoutes: the gateways' netpoints
    bool symmetrical = true;
    int links        = 0; //!< routes: link_ctn children
  };

  const std::string& file_;
  bool doctype_ = false;
  std::vector<Frame> open_;
  std::vector<Zone> zones_;
  std::vector<Netpoint> points_;
  std::unordered_map<std::string, int> nodes_;    //!< hosts and routers
  std::unordered_map<std::string, int> zone_ids_; //!< zones: SimGrid lets a host, not a router, share a zone's name
  std::unordered_map<std::string, LinkInfo> links_;
  std::set<std::string, std::less<>> host_links_;
  std::vector<std::pair<int, std::string>> edges_; //!< role=edge hosts and their property edge_server
  std::vector<int> servers_;                       //!< role=edge-server hosts
  std::vector<int> clouds_;
  std::map<int, std::pair<std::set<int>, std::set<int>>> reach_; //!< per point: who it reaches, who reaches it

  Zone& zone(int index) { return zones_[static_cast<std::size_t>(index)]; }
  const Zone& zone(int index) const { return zones_[static_cast<std::size_t>(index)]; }
  const Netpoint& point(int index) const { return points_[static_cast<std::size_t>(index)]; }
  /** "host 'edge': ", or nothing for <platform>, which the "platform: " of every message names already. */
  static std::string in(const Frame& f) { return f.who.empty() ? std::string() : f.who + ": "; }
  std::string zone_routing(int index) const;

  [[noreturn]] void fail(const XmlPos& pos, const std::string& message) const;
  [[noreturn]] void fail_value(const Frame& f, const XmlAttribute& a, const std::string& rule,
                               const std::string& label = {}) const;
  const ElementSpec& element_spec(const XmlStartTag& tag) const;
  std::string name_element(const ElementSpec& spec, const XmlStartTag& tag) const;
  void check_attributes(const ElementSpec& spec, const XmlStartTag& tag, const Frame& f) const;
  void place(const Frame& child);
  void place_in_platform(Frame& parent, const Frame& child) const;
  void place_in_zone(Frame& parent, const Frame& child);
  void start(Frame& f, const XmlStartTag& tag);
  void start_platform(const XmlStartTag& tag) const;
  void start_zone(Frame& f, const XmlStartTag& tag);
  void start_host(Frame& f, const XmlStartTag& tag);
  void start_link(const Frame& f, const XmlStartTag& tag);
  void start_backbone(const Frame& f);
  void start_host_link(const Frame& f, const XmlStartTag& tag);
  void start_route(Frame& f, const XmlStartTag& tag);
  void start_link_ctn(const Frame& f, const XmlStartTag& tag);
  void start_prop(const XmlStartTag& tag);
  void end_route(const Frame& f);
  void add_route(const Frame& f, int from, int to);
  void check_unit(const Frame& f, const XmlAttribute& a, SimgridUnit unit, const std::string& label = {}) const;
  std::size_t check_speeds(const Frame& f, const XmlAttribute& a) const;
  void check_coordinates(const Frame& f, const XmlAttribute* a) const;
  template <class List>
  void check_choice(const Frame& f, const XmlAttribute* a, const List& values) const;
  int add_netpoint(const Frame& f, const XmlAttribute& id, Kind kind, int zone);
  void count_point(const Frame& f, Zone& z) const;
  void add_link(const Frame& f, const XmlAttribute& id, const std::string& name, const std::string& made_by);
  int local_netpoint(const Frame& f, const XmlAttribute& a, bool hosts_only) const;
  int child_zone(const Frame& f, const XmlAttribute& a) const;
  int check_gateway(const Frame& f, const XmlAttribute& a, int zone_point) const;
  void check_link_ref(const Frame& f, const XmlAttribute& a, bool split, const std::string& label) const;
  bool in_subtree(int zone_index, int root) const;
  std::set<int> reachable(const Zone& z, int start, bool backwards) const;
  bool has_route(int zone_index, int from, int to, bool shared_to);
  std::optional<std::tuple<int, int, int>> missing_route(int from, int to, bool shared_to);
  void check_route_pair(int host, int target, const std::string& what);
  int target_of(const std::pair<int, std::string>& edge, int cloud) const;
};

std::string PlatformChecker::zone_routing(int index) const
{
  return fmt::format("zone '{}' has routing={}", printable(zone(index).id),
                     ROUTINGS[static_cast<std::size_t>(zone(index).routing)]);
}

void PlatformChecker::fail(const XmlPos& pos, const std::string& message) const
{
  fail_at({file_, pos.line, pos.col}, "platform: " + message);
}

void PlatformChecker::fail_value(const Frame& f, const XmlAttribute& a, const std::string& rule,
                                 const std::string& label) const
{
  fail(a.value_pos,
       fmt::format("{}{} must {} (got {})", in(f), label.empty() ? a.name : label, rule, printable(a.value)));
}

void PlatformChecker::on_doctype(std::string_view text, const XmlPos& pos)
{
  // FleXML takes this declaration, or the old gforge URL, with either quote and any blanks between the words.
  const std::vector<std::string_view> w = words(text.substr(9, text.size() - 10));
  const auto url                        = [](std::string_view word) {
    const bool quoted =
        word.size() >= 2 && word.front() == word.back() && (word.front() == '"' || word.front() == '\'');
    const std::string_view u = quoted ? word.substr(1, word.size() - 2) : std::string_view();
    return u == "https://simgrid.org/simgrid.dtd" || u == "http://simgrid.gforge.inria.fr/simgrid/simgrid.dtd";
  };
  const bool blank_after_keyword = text.size() > 10 && trim(text.substr(9, 1)).empty();
  if (!blank_after_keyword || w.size() != 3 || w[0] != "platform" || w[1] != "SYSTEM" || !url(w[2]))
    fail(pos, fmt::format("the DOCTYPE must be {} (got {})", DOCTYPE, printable(text)));
  doctype_ = true;
}

const ElementSpec& PlatformChecker::element_spec(const XmlStartTag& tag) const
{
  const std::string where = open_.empty() ? "" : in(open_.back());
  for (const Refusal& r : REFUSED_ELEMENTS)
    if (r.name == tag.name)
      fail(tag.pos, fmt::format("{}<{}> {}", where, tag.name, r.why));
  const auto it =
      std::find_if(ELEMENTS.begin(), ELEMENTS.end(), [&](const ElementSpec& e) { return e.tag == tag.name; });
  if (it == ELEMENTS.end()) {
    std::vector<std::string_view> tags;
    for (const ElementSpec& e : ELEMENTS)
      tags.push_back(e.tag);
    fail(tag.pos, fmt::format("{}<{}> is not an element of SimGrid's platform format (valid: {})", where,
                              printable(tag.name), join(tags)));
  }
  return *it;
}

/** "host 'edge'", "route edge -> cloud", "zone 'world'"; a link_ctn or a prop is named by its parent. */
std::string PlatformChecker::name_element(const ElementSpec& spec, const XmlStartTag& tag) const
{
  if ((spec.element == El::LINK_CTN || spec.element == El::PROP) && !open_.empty())
    return open_.back().who;
  const XmlAttribute* id  = tag.find("id");
  const XmlAttribute* src = tag.find("src");
  const XmlAttribute* dst = tag.find("dst");
  if (src != nullptr && dst != nullptr)
    return fmt::format("{} {} -> {}", tag.name, printable(src->value), printable(dst->value));
  if (id != nullptr)
    return fmt::format("{} '{}'", tag.name, printable(id->value));
  return spec.element == El::PLATFORM ? "" : tag.name;
}

void PlatformChecker::check_attributes(const ElementSpec& spec, const XmlStartTag& tag, const Frame& f) const
{
  const auto required = split(spec.required, ' ');
  const auto optional = split(spec.optional, ' ');
  for (const XmlAttribute& a : tag.attributes) {
    if (contains(required, a.name) || contains(optional, a.name))
      continue;
    for (const Refusal& r : REFUSED_ATTRIBUTES)
      if (r.name == a.name)
        fail(a.name_pos, fmt::format("{}{} {}", in(f), a.name, r.why));
    fail(a.name_pos, fmt::format("{}attribute {} is not allowed in <{}> (valid: {}{}{})", in(f), printable(a.name),
                                 tag.name, join(required), spec.optional.empty() ? "" : ", ", join(optional)));
  }
  for (const std::string_view name : required)
    if (!name.empty() && tag.find(name) == nullptr)
      fail(tag.pos, fmt::format("{}missing required attribute {}", in(f), name));
}

void PlatformChecker::on_start(const XmlStartTag& tag)
{
  const ElementSpec& spec = element_spec(tag);
  Frame f;
  f.element = spec.element;
  f.tag     = tag.name;
  f.pos     = tag.pos;
  f.zone    = open_.empty() ? -1 : open_.back().zone;
  f.who     = name_element(spec, tag);
  check_attributes(spec, tag, f);
  place(f);
  start(f, tag);
  open_.push_back(std::move(f));
}

void PlatformChecker::on_end(const XmlPos&)
{
  const Frame f = std::move(open_.back());
  open_.pop_back();
  if (is_route(f.element))
    end_route(f);
  else if (f.element == El::HOST && f.role == "edge")
    edges_.emplace_back(f.netpoint, f.edge_server);
  else if (f.element == El::HOST && f.role == "edge-server")
    servers_.push_back(f.netpoint);
  else if (f.element == El::HOST && f.role == "cloud")
    clouds_.push_back(f.netpoint);
}

void PlatformChecker::place(const Frame& child)
{
  if (open_.empty()) {
    if (child.element != El::PLATFORM)
      fail(child.pos, fmt::format("the root element must be <platform> (got <{}>)", child.tag));
    if (!doctype_)
      fail(child.pos,
           fmt::format("the DOCTYPE {} must come before <platform> (SimGrid's parser requires it)", DOCTYPE));
    return;
  }
  Frame& parent = open_.back();
  const El c    = child.element;
  bool ok       = false;
  switch (parent.element) {
  case El::PLATFORM:
    return place_in_platform(parent, child);
  case El::ZONE:
    return place_in_zone(parent, child);
  case El::HOST:
    ok = c == El::PROP || c == El::DISK;
    break;
  case El::CONFIG:
  case El::LINK:
  case El::DISK:
    ok = c == El::PROP;
    break;
  default:
    ok = is_route(parent.element) && c == El::LINK_CTN;
    break;
  }
  if (!ok)
    fail(child.pos, fmt::format("{}: <{}> is not allowed inside <{}>", parent.who, child.tag, parent.tag));
}

void PlatformChecker::place_in_platform(Frame& parent, const Frame& child) const
{
  if (child.element != El::CONFIG && child.element != El::ZONE)
    fail(child.pos, fmt::format("<{}> is not allowed inside <platform> (valid: config, zone)", child.tag));
  if (parent.children > 0)
    fail(child.pos, child.element == El::CONFIG
                        ? "<config> must come before the zone (SimGrid applies it before building anything)"
                        : "<platform> must hold one top-level zone (put the others inside it)");
  parent.children += child.element == El::ZONE ? 1 : 0;
}

void PlatformChecker::place_in_zone(Frame& parent, const Frame& child)
{
  Zone& z    = zone(parent.zone);
  const El c = child.element;
  if (c == El::PROP) {
    if (parent.children > 0)
      fail(child.pos, fmt::format("{}: <prop> must come before the zone's other elements", parent.who));
    return;
  }
  const bool route     = is_route(c);
  const bool container = c == El::ZONE || c == El::ZONE_ROUTE || c == El::BYPASS_ZONE_ROUTE;
  const bool leaf = c == El::HOST || c == El::ROUTER || c == El::HOST_LINK || c == El::ROUTE || c == El::BYPASS_ROUTE;
  if (!route && !container && !leaf && c != El::LINK && c != El::BACKBONE)
    fail(child.pos, fmt::format("{}: <{}> is not allowed inside <{}>", parent.who, child.tag, parent.tag));
  ++parent.children;
  // SimGrid's DTD: a zone holds either hosts and routers or sub-zones, and lists its routes last. Its parser commits
  // to the first kind it meets: a <link> first makes a zone of hosts.
  if (z.mode == Mode::EMPTY)
    z.mode = container ? Mode::CONTAINER : Mode::LEAF;
  else if ((z.mode == Mode::LEAF && container) || (z.mode == Mode::CONTAINER && leaf))
    fail(child.pos, fmt::format("{}: <{}> is not allowed in a zone of {}: a zone holds either hosts, routers and "
                                "links, or sub-zones and links",
                                parent.who, child.tag, z.mode == Mode::LEAF ? "hosts" : "sub-zones"));
  if (route)
    z.routes = true;
  else if (z.routes)
    fail(child.pos,
         fmt::format("{}: <{}> must come before the zone's routes (SimGrid reads them last)", parent.who, child.tag));
}

void PlatformChecker::start(Frame& f, const XmlStartTag& tag)
{
  switch (f.element) {
  case El::PLATFORM:
    return start_platform(tag);
  case El::ZONE:
    return start_zone(f, tag);
  case El::HOST:
    return start_host(f, tag);
  case El::ROUTER:
    add_netpoint(f, *tag.find("id"), Kind::ROUTER, f.zone);
    return check_coordinates(f, tag.find("coordinates"));
  case El::BACKBONE:
    start_backbone(f);
    return start_link(f, tag);
  case El::LINK:
    return start_link(f, tag);
  case El::HOST_LINK:
    return start_host_link(f, tag);
  case El::ROUTE:
  case El::BYPASS_ROUTE:
  case El::ZONE_ROUTE:
  case El::BYPASS_ZONE_ROUTE:
    return start_route(f, tag);
  case El::LINK_CTN:
    return start_link_ctn(f, tag);
  case El::PROP:
    return start_prop(tag);
  case El::DISK:
    check_unit(f, *tag.find("read_bw"), SimgridUnit::BANDWIDTH);
    return check_unit(f, *tag.find("write_bw"), SimgridUnit::BANDWIDTH);
  case El::CONFIG:
    return;
  }
}

void PlatformChecker::start_platform(const XmlStartTag& tag) const
{
  const XmlAttribute& version = *tag.find("version");
  const auto v                = parse_finite(version.value);
  if (!v || *v < 4 || *v > 4.1)
    fail(version.value_pos,
         fmt::format("version must be 4 or 4.1, the formats SimGrid 3.32 reads (got {})", printable(version.value)));
}

void PlatformChecker::start_zone(Frame& f, const XmlStartTag& tag)
{
  const XmlAttribute& routing = *tag.find("routing");
  if (iequals(routing.value, "Wifi"))
    fail_value(f, routing,
               "not be Wifi: popex-sim does not support WiFi zones, whose links refuse the bandwidth and "
               "latency changes popex-sim makes");
  // SimGrid compares the names without case; ClusterFatTree, ClusterTorus, ClusterDragonfly and Star abort it.
  const auto it =
      std::find_if(ROUTINGS.begin(), ROUTINGS.end(), [&](std::string_view r) { return iequals(r, routing.value); });
  if (it == ROUTINGS.end())
    fail_value(f, routing, fmt::format("be one of {}", join(ROUTINGS)));
  Zone z;
  z.id      = tag.find("id")->value;
  z.routing = static_cast<Routing>(it - ROUTINGS.begin());
  z.parent  = f.zone;
  zones_.push_back(std::move(z));
  f.zone             = static_cast<int>(zones_.size()) - 1;
  zone(f.zone).point = add_netpoint(f, *tag.find("id"), Kind::ZONE, f.zone);
}

void PlatformChecker::start_host(Frame& f, const XmlStartTag& tag)
{
  f.netpoint = add_netpoint(f, *tag.find("id"), Kind::HOST, f.zone);
  f.speeds   = check_speeds(f, *tag.find("speed"));
  if (const XmlAttribute* core = tag.find("core")) {
    const auto n = parse_count(core->value);
    if (!n || *n < 1 || *n > MAX_CORES)
      fail_value(f, *core, fmt::format("be an integer within [1, {}]", MAX_CORES));
  }
  if (const XmlAttribute* pstate = tag.find("pstate")) {
    const auto n = parse_count(pstate->value);
    if (!n || static_cast<std::size_t>(*n) >= f.speeds)
      fail_value(f, *pstate,
                 fmt::format("be an integer within [0, {}], an index into the {} value{} of speed", f.speeds - 1,
                             f.speeds, f.speeds == 1 ? "" : "s"));
  }
  check_coordinates(f, tag.find("coordinates"));
}

void PlatformChecker::start_backbone(const Frame& f)
{
  // SimGrid reads a backbone only when a Cluster zone is sealed, and keeps the last one.
  Zone& z = zone(f.zone);
  if (z.routing != Routing::CLUSTER)
    fail(f.pos,
         fmt::format("{}: <backbone> is only read in a zone with routing=Cluster ({})", f.who, zone_routing(f.zone)));
  if (z.backbone)
    fail(f.pos, fmt::format("{}: zone '{}' must have one backbone at most", f.who, printable(z.id)));
  z.backbone = true;
}

void PlatformChecker::start_link(const Frame& f, const XmlStartTag& tag)
{
  check_unit(f, *tag.find("bandwidth"), SimgridUnit::BANDWIDTH);
  check_unit(f, *tag.find("latency"), SimgridUnit::TIME);
  const XmlAttribute* policy = tag.find("sharing_policy");
  if (policy != nullptr && policy->value == "FULLDUPLEX")
    fail_value(f, *policy, "be SPLITDUPLEX, the new name of the deprecated FULLDUPLEX");
  if (policy != nullptr && policy->value == "WIFI")
    fail_value(f, *policy,
               "not be WIFI: popex-sim does not support WiFi links, which refuse the bandwidth and "
               "latency changes popex-sim makes");
  check_choice(f, policy, POLICIES);
  const XmlAttribute& id = *tag.find("id");
  add_link(f, id, id.value, "");
  if (policy != nullptr && policy->value == "SPLITDUPLEX") {
    links_[id.value].split = true;
    add_link(f, id, id.value + "_UP", id.value);
    add_link(f, id, id.value + "_DOWN", id.value);
  }
}

void PlatformChecker::start_host_link(const Frame& f, const XmlStartTag& tag)
{
  if (zone(f.zone).routing != Routing::CLUSTER)
    fail(f.pos,
         fmt::format("{}: <host_link> is only read in a zone with routing=Cluster ({})", f.who, zone_routing(f.zone)));
  const XmlAttribute& id = *tag.find("id");
  local_netpoint(f, id, true);
  if (!host_links_.insert(id.value).second)
    fail_value(f, id, "name a host that has no other host_link");
  check_link_ref(f, *tag.find("up"), false, "up");
  check_link_ref(f, *tag.find("down"), false, "down");
}

void PlatformChecker::start_route(Frame& f, const XmlStartTag& tag)
{
  if (!declares_routes(zone(f.zone).routing))
    fail(f.pos, fmt::format("{}: {}, which takes no <{}> (routes go in zones with routing Full, Floyd, Dijkstra or "
                            "DijkstraCache)",
                            f.who, zone_routing(f.zone), f.tag));
  const bool between_zones = f.element == El::ZONE_ROUTE || f.element == El::BYPASS_ZONE_ROUTE;
  if (between_zones) {
    f.src    = child_zone(f, *tag.find("src"));
    f.dst    = child_zone(f, *tag.find("dst"));
    f.gw_src = check_gateway(f, *tag.find("gw_src"), f.src);
    f.gw_dst = check_gateway(f, *tag.find("gw_dst"), f.dst);
    if (tag.find("gw_src")->value == tag.find("gw_dst")->value)
      fail_value(f, *tag.find("gw_dst"), "differ from gw_src");
  } else {
    f.src = local_netpoint(f, *tag.find("src"), false);
    f.dst = local_netpoint(f, *tag.find("dst"), false);
  }
  const XmlAttribute* symmetrical = tag.find("symmetrical");
  check_choice(f, symmetrical, SYMMETRICAL);
  f.symmetrical = symmetrical == nullptr || symmetrical->value == "YES" || symmetrical->value == "yes";
}

void PlatformChecker::start_link_ctn(const Frame& f, const XmlStartTag& tag)
{
  const XmlAttribute* direction = tag.find("direction");
  check_choice(f, direction, DIRECTIONS);
  check_link_ref(f, *tag.find("id"), direction != nullptr && direction->value != "NONE", "link_ctn id");
  ++open_.back().links;
}

void PlatformChecker::start_prop(const XmlStartTag& tag)
{
  Frame& owner            = open_.back();
  const XmlAttribute& id  = *tag.find("id");
  const XmlAttribute& v   = *tag.find("value");
  const std::string label = "property " + printable(id.value);
  // SimGrid keeps the first of two properties of one name, silently.
  if (const auto first = owner.props.find(id.value); first != owner.props.end())
    fail_value(owner, v, fmt::format("be given once (first at {}:{})", first->second.line, first->second.col), label);
  owner.props.emplace(id.value, tag.pos);
  if (owner.element == El::CONFIG)
    if (const auto problem = simgrid_option_problem(id.value, v.value))
      fail(problem->got == v.value ? v.value_pos : id.value_pos,
           fmt::format("{}{} (got {})", in(owner), problem->message, printable(problem->got)));
  if (owner.element == El::HOST && id.value == "edge_server")
    owner.edge_server = v.value;
  if (id.value != "role")
    return;
  if (owner.element == El::HOST && !contains(HOST_ROLES, v.value))
    fail_value(owner, v, fmt::format("be one of {}", join(HOST_ROLES)), label);
  if (owner.element == El::LINK && !contains(LINK_ROLES, v.value))
    fail_value(owner, v, fmt::format("be one of {}", join(LINK_ROLES)), label);
  owner.role = v.value;
}

void PlatformChecker::end_route(const Frame& f)
{
  if (f.links == 0)
    fail(f.pos, fmt::format("{}: must list at least one <link_ctn> (SimGrid refuses empty routes)", f.who));
  if (f.element != El::ROUTE && f.element != El::ZONE_ROUTE)
    return;
  add_route(f, f.src, f.dst);
  if (f.symmetrical && f.src != f.dst)
    add_route(f, f.dst, f.src);
  if (f.element == El::ZONE_ROUTE) {
    Zone& z                    = zone(f.zone);
    z.gateways[{f.src, f.dst}] = {f.gw_src, f.gw_dst};
    if (f.symmetrical)
      z.gateways[{f.dst, f.src}] = {f.gw_dst, f.gw_src};
  }
}

void PlatformChecker::add_route(const Frame& f, int from, int to)
{
  // Full and Floyd zones abort on a second route between two points, and Dijkstra zones crash.
  Zone& z                = zone(f.zone);
  const auto [it, fresh] = z.routes_from_to.try_emplace({from, to}, f.pos);
  if (!fresh)
    fail(f.pos, fmt::format("{}: must be declared once, but zone '{}' already has a route {} -> {} (at {}:{}): a "
                            "route goes both ways unless symmetrical=\"NO\"",
                            f.who, printable(z.id), printable(point(from).name), printable(point(to).name),
                            it->second.line, it->second.col));
}

void PlatformChecker::check_unit(const Frame& f, const XmlAttribute& a, SimgridUnit unit,
                                 const std::string& label) const
{
  const auto v = parse_simgrid_value(a.value, unit);
  if (!v)
    fail_value(f, a, fmt::format("be a number with a unit: {}", simgrid_unit_examples(unit)), label);
  const UnitRange& r = unit == SimgridUnit::SPEED       ? SPEED_RANGE
                       : unit == SimgridUnit::BANDWIDTH ? BANDWIDTH_RANGE
                                                        : TIME_RANGE;
  if (!(*v >= r.lo && *v <= r.hi))
    fail_value(f, a, fmt::format("be within {}", r.text), label);
}

std::size_t PlatformChecker::check_speeds(const Frame& f, const XmlAttribute& a) const
{
  // One speed per pstate, comma-separated; SimGrid trims each.
  const auto items = split(a.value, ',');
  for (std::size_t i = 0; i < items.size(); ++i) {
    XmlAttribute item = a;
    item.value        = std::string(trim(items[i]));
    check_unit(f, item, SimgridUnit::SPEED, items.size() > 1 ? fmt::format("speed of pstate {}", i) : "speed");
  }
  return items.size();
}

void PlatformChecker::check_coordinates(const Frame& f, const XmlAttribute* a) const
{
  // SimGrid needs three numbers split on single spaces wherever coordinates are given (it aborts otherwise), and
  // coordinates on every point of a Vivaldi zone.
  if (a == nullptr) {
    if (zone(f.zone).routing == Routing::VIVALDI)
      fail(f.pos, fmt::format("{}: missing required attribute coordinates ({})", f.who, zone_routing(f.zone)));
    return;
  }
  const auto parts = split(a->value, ' ');
  if (parts.size() != 3 || !std::all_of(parts.begin(), parts.end(), [](std::string_view p) { return parse_finite(p); }))
    fail_value(f, *a, "be three finite numbers separated by single spaces, such as '1.5 -2 0'");
}

template <class List>
void PlatformChecker::check_choice(const Frame& f, const XmlAttribute* a, const List& values) const
{
  if (a != nullptr && !contains(values, a->value))
    fail_value(f, *a, fmt::format("be one of {}", join(values)));
}

int PlatformChecker::add_netpoint(const Frame& f, const XmlAttribute& id, Kind kind, int zone_index)
{
  if (id.value.empty())
    fail_value(f, id, "be a non-empty name");
  const auto index       = static_cast<int>(points_.size());
  auto& names            = kind == Kind::ZONE ? zone_ids_ : nodes_;
  const auto [it, fresh] = names.try_emplace(id.value, index);
  if (!fresh)
    fail_value(f, id,
               fmt::format("be unique among {} (first at {}:{})", kind == Kind::ZONE ? "zones" : "hosts and routers",
                           point(it->second).pos.line, point(it->second).pos.col));
  // SimGrid refuses a router named like a zone, and would look up either one for the other in a zoneRoute.
  const auto& others = kind == Kind::ZONE ? nodes_ : zone_ids_;
  if (const auto other = others.find(id.value); kind != Kind::HOST && other != others.end() &&
                                                (kind == Kind::ROUTER || point(other->second).kind == Kind::ROUTER))
    fail_value(f, id,
               fmt::format("differ from the {} of that name at {}:{}", kind == Kind::ZONE ? "router" : "zone",
                           point(other->second).pos.line, point(other->second).pos.col));
  if (kind != Kind::ZONE)
    count_point(f, zone(zone_index));
  points_.push_back({id.value, kind, zone_index, f.pos});
  return index;
}

void PlatformChecker::add_link(const Frame& f, const XmlAttribute& id, const std::string& name,
                               const std::string& made_by)
{
  // SimGrid aborts on a second link of one name, including the _UP and _DOWN halves of a SPLITDUPLEX link.
  if (name.empty())
    fail_value(f, id, "be a non-empty name");
  const auto [it, fresh] = links_.try_emplace(name, LinkInfo{f.pos, false, made_by});
  if (fresh)
    return;
  const LinkInfo& first = it->second;
  const std::string why = !first.made_by.empty()
                              ? fmt::format("the SPLITDUPLEX link '{}' at {}:{} makes {}", printable(first.made_by),
                                            first.pos.line, first.pos.col, printable(name))
                          : !made_by.empty() ? fmt::format("this SPLITDUPLEX link makes {}, declared at {}:{}",
                                                           printable(name), first.pos.line, first.pos.col)
                                             : fmt::format("first at {}:{}", first.pos.line, first.pos.col);
  fail_value(f, id, fmt::format("be unique among links ({})", why));
}

void PlatformChecker::count_point(const Frame& f, Zone& z) const
{
  ++z.points;
  for (const ZoneBound& b : ZONE_BOUNDS)
    if (z.routing == b.routing && z.points > b.max_points)
      fail(f.pos, fmt::format("{}zone '{}' must hold at most {} hosts and routers with routing={}: SimGrid keeps route "
                              "tables of n x n entries ({} at {}), so split them into sub-zones",
                              in(f), printable(z.id), b.max_points, ROUTINGS[static_cast<std::size_t>(b.routing)],
                              b.memory, b.max_points));
}

int PlatformChecker::local_netpoint(const Frame& f, const XmlAttribute& a, bool hosts_only) const
{
  const std::string what = hosts_only ? "a host" : "a host or router";
  const std::string rule = fmt::format("name {} declared before it in zone '{}'", what, printable(zone(f.zone).id));
  const auto it          = nodes_.find(a.value);
  if (it == nodes_.end())
    fail_value(f, a, zone_ids_.count(a.value) > 0 ? rule + " (it names a zone; zoneRoute joins zones)" : rule);
  const Netpoint& p = point(it->second);
  if (hosts_only && p.kind == Kind::ROUTER)
    fail_value(f, a, rule + " (it names a router)");
  if (p.zone != f.zone)
    fail_value(f, a, fmt::format("{} (it is in zone '{}'; zoneRoute joins zones)", rule, printable(zone(p.zone).id)));
  return it->second;
}

int PlatformChecker::child_zone(const Frame& f, const XmlAttribute& a) const
{
  const auto it = zone_ids_.find(a.value);
  if (it == zone_ids_.end() || zone(point(it->second).zone).parent != f.zone)
    fail_value(f, a, fmt::format("name a zone declared inside zone '{}'", printable(zone(f.zone).id)));
  return it->second;
}

int PlatformChecker::check_gateway(const Frame& f, const XmlAttribute& a, int zone_point) const
{
  const int inside = point(zone_point).zone;
  const auto it    = nodes_.find(a.value);
  if (it == nodes_.end() || !in_subtree(point(it->second).zone, inside))
    fail_value(f, a, fmt::format("name a host or router inside zone '{}'", printable(zone(inside).id)));
  return it->second;
}

void PlatformChecker::check_link_ref(const Frame& f, const XmlAttribute& a, bool split, const std::string& label) const
{
  const auto it = links_.find(a.value);
  if (it == links_.end())
    fail_value(f, a, "name a link declared before it", label);
  if (split && !it->second.split)
    fail_value(f, a, "name a link with sharing_policy=SPLITDUPLEX, since direction is UP or DOWN", label);
  if (!split && it->second.split)
    fail_value(f, a,
               fmt::format("name {0}_UP or {0}_DOWN, or come with direction=UP or DOWN: link '{0}' is "
                           "SPLITDUPLEX",
                           printable(a.value)),
               label);
}

bool PlatformChecker::in_subtree(int zone_index, int root) const
{
  for (int z = zone_index; z != -1; z = zone(z).parent)
    if (z == root)
      return true;
  return false;
}

std::set<int> PlatformChecker::reachable(const Zone& z, int start, bool backwards) const
{
  // Floyd and Dijkstra zones chain the declared routes through routers: a search from the cloud, once each way, keeps
  // the check linear in the routes whatever the number of edge hosts.
  std::unordered_map<int, std::vector<int>> next;
  for (const auto& [route, pos] : z.routes_from_to)
    next[backwards ? route.second : route.first].push_back(backwards ? route.first : route.second);
  std::set<int> seen{start};
  std::deque<int> todo{start};
  while (!todo.empty()) {
    const int at = todo.front();
    todo.pop_front();
    for (const int n : next[at])
      if (seen.insert(n).second)
        todo.push_back(n);
  }
  return seen;
}

bool PlatformChecker::has_route(int zone_index, int from, int to, bool shared_to)
{
  const Zone& z = zone(zone_index);
  // Full zones use the declared routes as they are.
  if (z.routing == Routing::FULL)
    return z.routes_from_to.count({from, to}) > 0;
  // Floyd and Dijkstra zones chain them. One search each way from the end that every edge host shares (the cloud, an
  // edge server, a gateway), kept, keeps the check linear in the routes whatever the number of edge hosts.
  const int shared = shared_to ? to : from;
  auto [it, fresh] = reach_.try_emplace(shared);
  if (fresh)
    it->second = {reachable(z, shared, false), reachable(z, shared, true)};
  return shared_to ? it->second.second.count(from) > 0 : it->second.first.count(to) > 0;
}

/**
 * The route SimGrid would not find from `from` to `to` (hosts or routers): the zone that lacks it and its two ends,
 * or nullopt. Across zones SimGrid takes the zoneRoute between the two sub-zones of their closest common zone that
 * hold them, then routes from `from` to its gateway and from the other gateway to `to`. Zones that compute their
 * routes (None, Vivaldi, Cluster) are taken at their word. `shared_to`: `to` is the end every edge host shares.
 */
std::optional<std::tuple<int, int, int>> PlatformChecker::missing_route(int from, int to, bool shared_to)
{
  const int za = point(from).zone;
  const int zb = point(to).zone;
  if (from == to)
    return std::nullopt;
  if (za == zb)
    return !declares_routes(zone(za).routing) || has_route(za, from, to, shared_to)
               ? std::nullopt
               : std::optional(std::tuple{za, from, to});
  int common = zone(za).parent;
  while (common != -1 && !in_subtree(zb, common))
    common = zone(common).parent;
  if (common == -1 || !declares_routes(zone(common).routing))
    return std::nullopt;
  const auto child = [&](int z) {
    while (zone(z).parent != common)
      z = zone(z).parent;
    return zone(z).point;
  };
  const int pa  = child(za);
  const int pb  = child(zb);
  const Zone& c = zone(common);
  const auto gw = c.gateways.find({pa, pb});
  if (c.routing != Routing::FULL || gw == c.gateways.end())
    return has_route(common, pa, pb, shared_to) ? std::nullopt : std::optional(std::tuple{common, pa, pb});
  if (auto m = missing_route(from, gw->second.first, shared_to))
    return m;
  return missing_route(gw->second.second, to, shared_to);
}

void PlatformChecker::check_route_pair(int host, int target, const std::string& what)
{
  const Netpoint& h = point(host);
  const Netpoint& t = point(target);
  for (const auto& [from, to] : {std::pair{host, target}, std::pair{target, host}})
    if (const auto m = missing_route(from, to, to == target)) {
      const auto& [z, a, b] = *m;
      fail(h.pos,
           fmt::format("host '{}': {} must have a route to {} '{}' and back (zone '{}' has no {} {} -> {})",
                       printable(h.name), what, target == clouds_.front() ? "the cloud host" : "its edge server",
                       printable(t.name), printable(zone(z).id), point(a).kind == Kind::ZONE ? "zoneRoute" : "route",
                       printable(point(a).name), printable(point(b).name)));
    }
}

/** Where an edge host sends: the cloud, or in three tiers its edge server; -1 when the simulation must say why. */
int PlatformChecker::target_of(const std::pair<int, std::string>& edge, int cloud) const
{
  if (servers_.empty())
    return cloud;
  if (edge.second.empty())
    return servers_.size() == 1 ? servers_.front() : -1;
  const auto it = nodes_.find(edge.second);
  return it != nodes_.end() && contains(servers_, it->second) ? it->second : -1;
}

void PlatformChecker::finish()
{
  if (clouds_.size() != 1)
    return; // the simulation names the role mistake, with every host
  const int cloud = clouds_.front();
  for (const int server : servers_)
    check_route_pair(server, cloud, "a role=edge-server host");
  for (const auto& edge : edges_)
    if (const int target = target_of(edge, cloud); target >= 0)
      check_route_pair(edge.first, target, "a role=edge host");
}

void check_platform_file(const std::string& path)
{
  check_platform_text(read_input_file(path, "platform", max_platform_file_bytes), path);
}

void check_platform_text(std::string_view text, const std::string& name)
{
  if (text.size() > max_platform_file_bytes)
    fail_at({name}, fmt::format("platform: file must be at most {} bytes, 64 MiB (got {} bytes)",
                                max_platform_file_bytes, text.size()));
  PlatformChecker checker(name);
  scan_xml(text, name, "platform", checker);
  checker.finish();
}

} // namespace popex
