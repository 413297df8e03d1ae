#pragma once

#include <cmath>
#include <cstdint>

namespace popex {

/**
 * SplitMix64: a tiny, fast, high-quality 64-bit generator (Steele, Lea & Flood 2014). Cheap to seed, so each
 * image can own a stream keyed by (seed, purpose, device, image): the images are then identical whatever the
 * policy does (common random numbers).
 */
class SplitMix64 {
public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next()
  {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z               = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z               = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /** Uniform in [0, 1), 53 random bits. */
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /** Exponential with the given rate (mean 1/rate). */
  double exponential(double rate) { return -std::log1p(-uniform()) / rate; }

private:
  std::uint64_t state_;
};

/** Stream purposes: one per source of randomness, so that adding one never shifts another. */
enum class Stream : std::uint64_t { EXITS = 1, ARRIVALS = 2, CORRECTNESS = 3 };

/** Seed of the stream for (master seed, purpose, device, index), well mixed. */
inline std::uint64_t stream_seed(std::uint64_t seed, Stream purpose, std::uint64_t device, std::uint64_t index)
{
  SplitMix64 mix(seed ^ (static_cast<std::uint64_t>(purpose) << 56));
  std::uint64_t h = mix.next();
  h ^= SplitMix64(device * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL).next();
  h ^= SplitMix64(index ^ (h << 1)).next();
  return h;
}

} // namespace popex
