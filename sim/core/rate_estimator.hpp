#pragma once

#include "core/small_queues.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace popex {

/** How the Update Box estimates the uplink rate. */
enum class EstimatorKind { ORACLE, LAST, EWMA, HARMONIC };

/** The Update Box's settings. */
struct EstimatorConfig {
  EstimatorKind kind    = EstimatorKind::HARMONIC; //!< oracle | last | ewma | harmonic; default harmonic
  double alpha          = 0.3;                     //!< ewma weight of the newest sample, in (0, 1]; default 0.3
  std::size_t window    = 3;                       //!< harmonic: number of recent samples, >= 1; default 3
  double probe_idle_s   = 5;                       //!< probe after this long without an offload, s; 0 = never; default 5
  double probe_bytes    = 20000;                   //!< bytes per probe; default 20000
  double hysteresis_pct = 0;                       //!< switch only if the predicted gain is >= this %; default 0
};

/** The Update Box's passive estimate of the uplink rate from measured throughput samples (bit/s). */
class RateEstimator {
public:
  virtual ~RateEstimator() = default;
  /** One throughput sample: bytes / (transfer time - latency), in bit/s. */
  virtual void add_sample(double bps) = 0;
  /** The current estimate, or nullopt before the first sample. */
  virtual std::optional<double> estimate() const = 0;
};

/** The latest sample. */
class LastEstimator : public RateEstimator {
public:
  void add_sample(double bps) override { last_ = bps; }
  std::optional<double> estimate() const override { return last_; }

private:
  std::optional<double> last_;
};

/** Exponentially weighted moving average: e <- alpha x + (1 - alpha) e. */
class EwmaEstimator : public RateEstimator {
public:
  explicit EwmaEstimator(double alpha) : alpha_(alpha) {}
  void add_sample(double bps) override { value_ = value_ ? alpha_ * bps + (1 - alpha_) * *value_ : bps; }
  std::optional<double> estimate() const override { return value_; }

private:
  double alpha_;
  std::optional<double> value_;
};

/** Harmonic mean of the last n samples (robust to outliers, as in FESTIVE/MPC bandwidth predictors). */
class HarmonicEstimator : public RateEstimator {
public:
  explicit HarmonicEstimator(std::size_t window) : samples_(window) {}
  void add_sample(double bps) override;
  std::optional<double> estimate() const override;

private:
  SlidingWindow<double> samples_;
};

/** The estimator `config` asks for (oracle keeps a harmonic mean of the passive samples, for the record). */
std::unique_ptr<RateEstimator> make_rate_estimator(const EstimatorConfig& config);

/**
 * A queueing delay as an agent learns it from the result messages it receives: an EWMA, e <- 0.2 x + 0.8 e, starting
 * at 0 (the load-aware policy adds it to the cost of offloading).
 */
class WaitEstimator {
public:
  void add_sample(double wait_s) { value_ = 0.2 * wait_s + 0.8 * value_; }
  double estimate() const { return value_; }

private:
  double value_ = 0;
};

/**
 * Online estimate of each branch's conditional exit probability from the outcomes the edge observes: the share
 * of exits among the last `window` images that reached the branch, or the prior until `min_samples` are seen.
 */
class ExitProbEstimator {
public:
  ExitProbEstimator(std::vector<double> prior, std::size_t window = 200, std::size_t min_samples = 20);
  /** An image reached branch k and exited there (or not). */
  void observe(std::size_t k, bool exited);
  std::vector<double> estimate() const;

private:
  std::vector<double> prior_;
  std::size_t min_samples_;
  std::vector<SlidingWindow<bool>> seen_;
  std::vector<std::size_t> exits_;
};

} // namespace popex
