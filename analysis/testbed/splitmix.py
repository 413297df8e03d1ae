"""SplitMix64 and the stream seeds of popex-sim, bit for bit (a port of sim/core/random.hpp).

popex-sim gives every image its own generator, seeded by ``stream_seed(seed, purpose, device, index)``, so that the
same seed gives every policy the same images. Porting it exactly lets the testbed draw the very same image
outcomes as a simulation of the same scenario (tests/python/test_outcome_sampler.py checks this against
popex-sim's images.csv). Library module; nothing to run.
"""
MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15

#: Stream purposes of sim/core/random.hpp (enum class Stream).
EXITS, ARRIVALS, CORRECTNESS = 1, 2, 3


class SplitMix64:
    """Steele, Lea & Flood's SplitMix64, as popex::SplitMix64."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + GOLDEN) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        """Uniform in [0, 1) from the top 53 bits, exactly as the C++ (an exact product, no rounding)."""
        return (self.next() >> 11) * 2.0 ** -53


def stream_seed(seed, purpose, device, index):
    """popex::stream_seed: the seed of the stream for (master seed, purpose, device, index)."""
    h = SplitMix64((seed ^ (purpose << 56)) & MASK).next()
    h ^= SplitMix64((device * GOLDEN + 0x632BE59BD9B4E019) & MASK).next()
    h ^= SplitMix64((index ^ ((h << 1) & MASK)) & MASK).next()
    return h
