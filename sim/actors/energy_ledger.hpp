#pragma once

#include "actors/device_state.hpp"
#include "core/radio_meter.hpp"
#include "core/small_queues.hpp"
#include "metrics/metrics_sink.hpp"

#include <functional>
#include <optional>
#include <unordered_map>

namespace popex {

/**
 * A device's energy per image (docs/model.md, "Energy"): its compute, busy_w x its device time, and its radio, the
 * transfers it made and the tail its last transfer started, up to where the next transfer cut it (RadioMeter). An
 * image's radio energy is final only once that tail is cut or over, so finished images wait here, in finishing order,
 * until then; without energy they go straight out.
 */
class EnergyLedger {
public:
  /** `write` records a final image and frees it. */
  EnergyLedger(std::optional<EnergyParams> energy, std::function<void(Image*)> write);

  bool on() const { return meter_.has_value(); }
  /** An image entered the device's pipeline (it may own transfers from now on). */
  void created(Image* image);
  /** A transfer of the device's radio ended at `end_s`; `owner` is its image, or nullptr (a probe). */
  void transfer(double start_s, double end_s, double up_mbit, double down_mbit, Image* owner, double now_s);
  /** An image is finished: it goes out once its radio energy is final. */
  void finished(Image* image, double now_s);
  /** Writes the finished images whose energy is final at `now_s`. */
  void flush(double now_s);
  /** When the oldest waiting image's tail will be over (a timer for flush()), or infinity. */
  double next_flush_s() const;
  /** The end of the run: every tail in full, every image out. */
  void drain();
  /** Every joule the radio spent (probes and tails included). */
  double radio_total_j() const { return meter_ ? meter_->total_j() : 0.0; }

private:
  void credit(std::uint64_t id, double joules);

  std::optional<EnergyParams> energy_;
  std::optional<RadioMeter> meter_;
  std::function<void(Image*)> write_;
  std::unordered_map<std::uint64_t, Image*> live_; //!< created and not yet written
  Fifo<Image*> done_;                              //!< finished, in order, waiting for their energy
  std::optional<std::uint64_t> tail_owner_;        //!< the image whose tail runs now (nullopt: a probe's)
  double tail_start_    = 0;                       //!< when it started: the latest end of a transfer
  bool tail_credited_   = false;                   //!< credited in full already (it went final)
  bool started_         = false;                   //!< some transfer happened
};

} // namespace popex
