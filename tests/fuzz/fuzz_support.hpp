#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

/**
 * Shared helpers of the libFuzzer harnesses (docs/fuzzing.md). Each harness catches popex::ConfigError, the
 * expected answer to bad input, and lets everything else escape: libFuzzer reports an uncaught exception, a
 * sanitizer report, a timeout or an out-of-memory as a crash and saves the input.
 */
namespace popex_fuzz {

/** The fuzz input as text; NUL and other bytes are kept. */
inline std::string text_of(const std::uint8_t* data, std::size_t size)
{
  return std::string(reinterpret_cast<const char*>(data), size);
}

/**
 * True for valid UTF-8 without noncharacters (U+FFFE, U+FDD0...) and without control characters other than tab, LF
 * and CR-LF. yaml-cpp reads other bytes, but its emitter rewrites them (invalid UTF-8 and noncharacters become
 * U+FFFD; a lone CR is written raw and read back as a line break), so round-trip checks apply only to such text.
 */
inline bool is_clean_text(const std::string& text)
{
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  std::size_t i   = 0;
  while (i < text.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
      if ((c < 0x20 && c != '\t' && c != '\n' && !crlf) || c == 0x7F)
        return false;
      ++i;
      continue;
    }
    // Continuation bytes, and the range of the second byte (no overlong forms, surrogates or code points > U+10FFFF).
    std::size_t n    = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      n = 1;
    else if (c >= 0xE0 && c <= 0xEF)
      n = 2;
    else if (c >= 0xF0 && c <= 0xF4)
      n = 3;
    else
      return false;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
    else if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
    if (i + n >= text.size() || byte(i + 1) < lo || byte(i + 1) > hi)
      return false;
    std::uint32_t code = c & (0x3Fu >> n);
    for (std::size_t k = 1; k <= n; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80)
        return false;
      code = (code << 6) | (byte(i + k) & 0x3Fu);
    }
    if ((code & 0xFFFEu) == 0xFFFEu || (code >= 0xFDD0 && code <= 0xFDEF))
      return false; // noncharacters, which the emitter also replaces
    i += n + 1;
  }
  return true;
}

/** An absolute path in the source tree (POPEX_SOURCE_DIR is set by tests/fuzz/CMakeLists.txt). */
inline std::filesystem::path source_path(const std::string& rel)
{
  return std::filesystem::path(POPEX_SOURCE_DIR) / rel;
}

/**
 * A scratch folder for the process, removed at exit (but not after a crash): inputs are written there as files, next
 * to symbolic links into tests/data, so that the relative paths the seed corpus uses (`../dnn/tiny3.yaml`) resolve.
 */
class ScratchDir {
public:
  /** A new, empty folder. */
  ScratchDir()
  {
    const char* tmp        = std::getenv("TMPDIR");
    const std::string base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    std::error_code ec;
    std::filesystem::create_directories(base, ec); // .ci/fuzz and ctest point TMPDIR into their own folders
    std::string pattern = base + "/popex-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("popex fuzz: mkdtemp");
      std::abort();
    }
    root_ = pattern;
  }
  /** A new folder that `setup(*this)` fills. */
  template <class Setup>
  explicit ScratchDir(Setup&& setup) : ScratchDir()
  {
    setup(*this);
  }
  ~ScratchDir()
  {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  ScratchDir(const ScratchDir&)            = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& root() const { return root_; }

  /** root/`name` becomes a symbolic link to the source tree's `target` (e.g. "tests/data/dnn"). */
  void link(const std::string& name, const std::string& target) const
  {
    std::filesystem::create_directories((root_ / name).parent_path());
    std::filesystem::create_directory_symlink(source_path(target), root_ / name);
  }

  /** Links every file of the source tree's folder `target` into root/`name`. */
  void link_files(const std::string& name, const std::string& target) const
  {
    std::filesystem::create_directories(root_ / name);
    for (const auto& entry : std::filesystem::directory_iterator(source_path(target)))
      if (entry.is_regular_file())
        std::filesystem::create_symlink(entry.path(), root_ / name / entry.path().filename());
  }

  /** Writes `text` to root/`name` (creating folders) and returns the path. */
  std::filesystem::path write(const std::string& name, const std::string& text) const
  {
    const std::filesystem::path p = root_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      std::fprintf(stderr, "popex fuzz: cannot write %s\n", p.c_str());
      std::abort();
    }
    return p;
  }

private:
  std::filesystem::path root_;
};

/** A broken promise of the code under test (a documented invariant): print it and abort, which libFuzzer records. */
[[noreturn]] inline void invariant_failed(const char* expr, const char* file, int line, const std::string& detail)
{
  std::fprintf(stderr, "popex fuzz: invariant violated at %s:%d: %s %s\n", file, line, expr, detail.c_str());
  std::abort();
}

} // namespace popex_fuzz

/** Checks a documented invariant of a result; `detail` is a std::string shown on failure. */
#define POPEX_FUZZ_CHECK(cond, detail)                                                                                 \
  do {                                                                                                                 \
    if (!(cond))                                                                                                       \
      ::popex_fuzz::invariant_failed(#cond, __FILE__, __LINE__, (detail));                                             \
  } while (0)
