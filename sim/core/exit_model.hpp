#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace popex {

/** Exit behaviour of the side branches at one confidence threshold. */
struct ExitPoint {
  std::vector<double> exit_probs; //!< q_k: P(exit at k | sample reached k), per branch in layer order
  std::vector<double> accuracies; //!< acc_k: accuracy on the samples exiting at k (0 where q_k = 0)
  double final_accuracy = 0;      //!< accuracy of the final exit on the samples no edge branch took
  /** Accuracy of the final exit over every sample (the plain DNN); NaN when the model does not know it. */
  double backbone_accuracy = std::numeric_limits<double>::quiet_NaN();

  /**
   * Accuracy of the final exit on the samples some branch would have taken, had it run: from
   * backbone = (1 - R_K) a + R_K final_accuracy. NaN when the backbone accuracy is unknown; then the final
   * accuracy stands in for it.
   */
  double exiting_final_accuracy() const;
};

/**
 * Where samples leave an early-exit DNN, and how accurate each exit is, as a function of the threshold.
 *
 * A sample exits at the first branch whose confidence is >= threshold. Branches are in layer order.
 */
class ExitModel {
public:
  virtual ~ExitModel() = default;
  virtual std::size_t branch_count() const = 0;
  /** Exit point at `threshold`. Throws ConfigError if the threshold is outside [min_threshold, max_threshold]. */
  virtual ExitPoint at(double threshold) const = 0;
  virtual double min_threshold() const = 0;
  virtual double max_threshold() const = 0;
  /** Thresholds where the model is known exactly: the table rows, or a 0.01 grid for per-sample data. */
  virtual std::vector<double> grid() const = 0;
  /**
   * Expected accuracy when the first `edge_branches` branches run on the edge and the rest are skipped:
   * sum_{k < m} P(exit at k) acc_k + P(final, though a later branch would exit) a + R_K acc_final, where a is
   * ExitPoint::exiting_final_accuracy() (acc_final when the backbone accuracy is unknown).
   */
  virtual double expected_accuracy(double threshold, std::size_t edge_branches) const;

protected:
  /** Snaps a threshold within 1e-9 of the range onto it, or throws ConfigError naming the range. */
  double check_threshold(double threshold) const;
};

/** One row of an exit table. */
struct ExitRow {
  double threshold = 0; //!< confidence threshold in (0, 1]
  double exit_prob = 0; //!< conditional exit probability
  double accuracy  = 0; //!< accuracy on the samples exiting here
};

/**
 * Exit tables, one per branch, sharing the same ascending thresholds.
 *
 * Between rows, q and q*acc (the probability of a correct exit) are interpolated linearly, so that accuracy
 * stays consistent with the exits it is measured on. The final accuracy is interpolated linearly.
 */
class TableExitModel : public ExitModel {
public:
  /** `final_accuracy` has one entry per threshold, or exactly one entry used for all thresholds. */
  TableExitModel(std::vector<double> thresholds, std::vector<std::vector<ExitRow>> branches,
                 std::vector<double> final_accuracy,
                 double backbone_accuracy = std::numeric_limits<double>::quiet_NaN());

  std::size_t branch_count() const override { return q_.size(); }
  ExitPoint at(double threshold) const override;
  double min_threshold() const override { return thresholds_.front(); }
  double max_threshold() const override { return thresholds_.back(); }
  std::vector<double> grid() const override { return thresholds_; }

private:
  std::vector<double> thresholds_;
  std::vector<std::vector<double>> q_;  // [branch][row]
  std::vector<std::vector<double>> qa_; // [branch][row]: q * acc
  std::vector<double> final_accuracy_;  // [row]
  double backbone_accuracy_;
};

/** Per-image confidences and correctness at every exit; exit K (the last) is the backbone's final exit. */
struct SampleSet {
  std::size_t exit_count = 0;        //!< K + 1
  std::vector<double> confidence;    //!< [sample * exit_count + exit]
  std::vector<unsigned char> correct; //!< [sample * exit_count + exit], 1 or 0

  std::size_t size() const { return exit_count == 0 ? 0 : confidence.size() / exit_count; }
  double conf(std::size_t sample, std::size_t exit) const { return confidence[sample * exit_count + exit]; }
  bool is_correct(std::size_t sample, std::size_t exit) const { return correct[sample * exit_count + exit] != 0; }
  /** First side branch (0..K-1) whose confidence is >= threshold, or K (the final exit). */
  std::size_t natural_exit(std::size_t sample, double threshold) const;
};

/** Exit model computed exactly from per-sample data, for any threshold in (0, 1]. */
class PerSampleExitModel : public ExitModel {
public:
  explicit PerSampleExitModel(std::shared_ptr<const SampleSet> samples);

  std::size_t branch_count() const override { return samples_->exit_count - 1; }
  ExitPoint at(double threshold) const override;
  double min_threshold() const override { return 0.01; }
  double max_threshold() const override { return 1.0; }
  std::vector<double> grid() const override;
  double expected_accuracy(double threshold, std::size_t edge_branches) const override;
  const SampleSet& samples() const { return *samples_; }

private:
  std::shared_ptr<const SampleSet> samples_;
};

} // namespace popex
