#pragma once

#include "campaign/run_spec.hpp"

#include <fmt/format.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <unistd.h>

namespace popex::test {

namespace fs = std::filesystem;

/** A fresh temporary folder, removed at the end of the test. */
class TempDir {
public:
  TempDir()
  {
    std::string tmpl = (fs::temp_directory_path() / "popex-campaign-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir()
  {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&)            = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

private:
  fs::path path_;
};

inline void write_file(const fs::path& path, const std::string& text)
{
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_file(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/** Writes scenario.yaml and campaign.yaml (name, scenario, then `body`) into `dir`; returns the campaign path. */
inline std::string write_campaign(const TempDir& dir, const std::string& body, const std::string& name = "t")
{
  write_file(dir.path() / "scenario.yaml", "images: 10\n");
  const std::string file = dir / "campaign.yaml";
  write_file(file, fmt::format("name: {}\nscenario: scenario.yaml\n{}", name, body));
  return file;
}

inline std::string axis_text(const RunSpec& spec, const std::string& key, const std::string& fallback)
{
  for (const auto& [k, v] : spec.axes)
    if (k == key)
      return v;
  return fallback;
}

/** Where fake runs leave a marker file named after their run id (empty: no markers). Children inherit it. */
inline std::string& calls_dir()
{
  static std::string dir;
  return dir;
}

/**
 * A well-behaved run: mean_latency_s = x * seed (axis x, default 1), images = 100, label = p<point>, and a seed
 * column (which the campaign summary drops: it is one of its own columns).
 */
inline void fake_ok(const RunSpec& spec, const std::string& out_dir)
{
  if (!calls_dir().empty())
    write_file(fs::path(calls_dir()) / spec.run_id, "");
  const double x = std::stod(axis_text(spec, "x", "1"));
  fmt::print("fake run {} seed {}\n", spec.run_id, spec.seed);
  write_file(fs::path(out_dir) / "summary.csv",
             fmt::format("mean_latency_s,images,label,seed\n{},100,p{},{}\n", x * static_cast<double>(spec.seed),
                         spec.point_index, spec.seed));
}

/** Behaves as axis `behave` says: ok, segv, throw, hang (blocks until killed), nosummary, exit3. */
inline void fake_behaving(const RunSpec& spec, const std::string& out_dir)
{
  const std::string b = axis_text(spec, "behave", "ok");
  if (b == "segv")
    std::raise(SIGSEGV);
  if (b == "throw")
    throw std::runtime_error(fmt::format("bad value for run {}\nsecond line", spec.run_id));
  if (b == "hang")
    while (true)
      pause();
  if (b == "nosummary")
    return;
  if (b == "exit3")
    std::_Exit(3);
  fake_ok(spec, out_dir);
}

} // namespace popex::test
