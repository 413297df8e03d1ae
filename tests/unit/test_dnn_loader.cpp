#include "config/dnn_loader.hpp"
#include "test_helpers.hpp"

#include <gtest/gtest.h>

using namespace popex;

namespace {
const char* GOOD = R"(name: t
input_bytes: 1000
layers:
  - {name: l1, cloud_time_s: 0.01, output_bytes: 500}
  - {name: l2, cloud_time_s: 0.02, output_bytes: 100}
branches:
  - name: b1
    after: l1
    cloud_time_s: 0.001
    exits:
      - {threshold: 0.5, exit_prob: 0.6, accuracy: 0.8}
      - {threshold: 0.9, exit_prob: 0, }
final_accuracy: 0.9
)";

std::string replace(std::string s, const std::string& from, const std::string& to)
{
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}
} // namespace

TEST(DnnLoader, GoodFile)
{
  const Workload w = load_workload_string(GOOD, "t.yaml");
  EXPECT_EQ(w.dnn.name(), "t");
  EXPECT_EQ(w.dnn.layer_count(), 2u);
  EXPECT_EQ(w.dnn.branch_count(), 1u);
  EXPECT_EQ(w.dnn.branches()[0].after, 1u);
  EXPECT_DOUBLE_EQ(w.dnn.result_bytes(), 0.0);
  EXPECT_EQ(w.default_variant(), "default");
  // Accuracy omitted where no sample exits (q = 0): allowed, and the model treats it as 0.
  EXPECT_DOUBLE_EQ(w.variant("")->at(0.9).exit_probs[0], 0.0);
}

TEST(DnnLoader, ShippedWorkloadsLoad)
{
  for (const char* f : {"workloads/dnn/b-alexnet.yaml", "workloads/dnn/mobilenetv2-3b.yaml",
                        "workloads/dnn/mobilenetv2-2b.yaml", "workloads/dnn/mobilenetv2-1b.yaml"}) {
    const Workload w = load_workload(source_path(f));
    EXPECT_GT(w.dnn.layer_count(), 0u) << f;
    EXPECT_TRUE(w.default_threshold.has_value()) << f;
  }
  const Workload alex = load_workload(source_path("workloads/dnn/b-alexnet.yaml"));
  EXPECT_EQ(alex.dnn.layer_count(), 8u);
  EXPECT_DOUBLE_EQ(alex.dnn.input_bytes(), 602112.0); // 3 x 224 x 224 float32
  EXPECT_NEAR(alex.variant("")->at(0.8).exit_probs[0], 0.4943, 1e-12);
  const Workload mnv2 = load_workload(source_path("workloads/dnn/mobilenetv2-3b.yaml"));
  EXPECT_EQ(mnv2.dnn.branch_count(), 3u);
  EXPECT_NO_THROW(mnv2.variant("blur-2"));
  EXPECT_NO_THROW(mnv2.variant("noise-20"));
}

TEST(DnnLoader, ErrorsNamePlaceFieldRuleAndValue)
{
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "cloud_time_s: 0.02", "cloud_time_s: -2e-3"), "x.yaml"),
                   "x.yaml:5:30: layer 'l2': cloud_time_s must be >= 0 (got -2e-3)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "cloud_time_s: 0.02", "cloud_time_s: .nan"), "x.yaml"),
                   "x.yaml:5:30: layer 'l2': cloud_time_s must be a finite number (got .nan)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "output_bytes: 100", "output_bytes: lots"), "x.yaml"),
                   "x.yaml:5:50: layer 'l2': output_bytes must be a number (got lots)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "input_bytes", "inptu_bytes"), "x.yaml"),
                   "x.yaml:2:1: DNN: unknown key 'inptu_bytes' (valid: name, description, sources, input_bytes, "
                   "result_bytes, default_threshold, variant, layers, branches, final_accuracy, backbone_accuracy, variants, "
                   "per_sample)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "after: l1", "after: conv9"), "x.yaml"),
                   "x.yaml:8:12: branch 'b1': after must name a layer (valid: l1, l2) (got conv9)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "exit_prob: 0.6", "exit_prob: 1.2"), "x.yaml"),
                   "x.yaml:11:37: branch 'b1' exit row #1: exit_prob must be within [0, 1] (got 1.2)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "threshold: 0.9", "threshold: 0.4"), "x.yaml"),
                   "x.yaml:12:21: branch 'b1' exit row #2: threshold must be strictly ascending (previous row has "
                   "0.5) (got 0.4)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "name: l2", "name: l1"), "x.yaml"),
                   "x.yaml:5:12: layer #2: name must be unique among layers (got l1)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "exit_prob: 0.6, accuracy: 0.8", "exit_prob: 0.6"), "x.yaml"),
                   "x.yaml:11:9: branch 'b1' exit row #1: missing required key 'accuracy' (it may be omitted only "
                   "where exit_prob is 0)");
  EXPECT_THROW_MSG(load_workload_string("", "e.yaml"), "e.yaml:1:1: DNN: file is empty (expected a YAML mapping)");
  EXPECT_THROW_MSG(load_workload_string("name: [unclosed", "s.yaml"),
                   "s.yaml:1:1: DNN: YAML syntax error: end of sequence flow not found");
  EXPECT_THROW_MSG(load_workload_string("just text", "s.yaml"),
                   "s.yaml:1:1: DNN: top level must be a YAML mapping (got just text)");
  EXPECT_THROW_MSG(load_workload(source_path("tests/data/no-such.yaml")),
                   source_path("tests/data/no-such.yaml") + ": cannot open DNN file");
}
