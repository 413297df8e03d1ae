#include "config/dnn_loader.hpp"
#include "test_helpers.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

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
                   "result_bytes, default_threshold, variant, model, layers, branches, final_accuracy, backbone_accuracy, "
                   "variants, per_sample)");
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
                   source_path("tests/data/no-such.yaml") + ": cannot open DNN file (No such file or directory)");
}

TEST(DnnLoader, MeasuredEdgeTimesOnEveryLayerAndBranch)
{
  const std::string with = replace(replace(replace(GOOD, "output_bytes: 500}", "output_bytes: 500, edge_time_s: 0.1}"),
                                           "output_bytes: 100}", "output_bytes: 100, edge_time_s: 0.3}"),
                                   "cloud_time_s: 0.001\n", "cloud_time_s: 0.001\n    edge_time_s: 0.002\n");
  const Workload w = load_workload_string(with, "e.yaml");
  ASSERT_NE(w.edge_profile, nullptr);
  EXPECT_EQ(w.edge_profile->name, "e.yaml");
  EXPECT_EQ(w.edge_profile->layer_s, (std::vector<double>{0.1, 0.3}));
  EXPECT_EQ(w.edge_profile->branch_s, (std::vector<double>{0.002}));
  EXPECT_EQ(load_workload_string(GOOD, "g.yaml").edge_profile, nullptr); // none given: gamma x cloud times

  // All or none: a DNN never mixes measured edge times with gamma x cloud times.
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "output_bytes: 100}", "output_bytes: 100, edge_time_s: 0.3}"),
                                        "x.yaml"),
                   "x.yaml:4:5: layer 'l1': missing edge_time_s: give it on every layer and branch, or on none (a "
                   "later one has it)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "output_bytes: 500}", "output_bytes: 500, edge_time_s: 0.1}"),
                                        "x.yaml"),
                   "x.yaml:5:5: layer 'l2': missing edge_time_s: give it on every layer and branch, or on none (an "
                   "earlier one has it)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "output_bytes: 500}", "output_bytes: 500, edge_time_s: -1}"),
                                        "x.yaml"),
                   "x.yaml:4:68: layer 'l1': edge_time_s must be >= 0 (got -1)");
  EXPECT_THROW_MSG(load_workload_string(replace(GOOD, "output_bytes: 500}", "output_bytes: 500.5}"), "x.yaml"),
                   "x.yaml:4:50: layer 'l1': output_bytes must be a whole number of bytes (got 500.5)");
}

namespace {
/** Writes `text` to a fresh file under the test's temporary directory and returns its path. */
std::string temp_file(const std::string& name, const std::string& text)
{
  const auto dir = std::filesystem::temp_directory_path() / ("popex-dnn-loader-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}
} // namespace

TEST(DnnLoader, EdgeProfileFile)
{
  const Dnn dnn = load_workload_string(GOOD, "t.yaml").dnn;
  const std::string good = temp_file("good.yaml", "edge_profile: jetson\ndnn: t\nlayers:\n"
                                                  "  - {name: l2, edge_time_s: 0.5}\n  - {name: l1, edge_time_s: 0.25}\n"
                                                  "branches:\n  - {name: b1, edge_time_s: 0.01}\n");
  const auto p = load_edge_profile(good, dnn);
  EXPECT_EQ(p->name, "jetson");
  EXPECT_EQ(p->layer_s, (std::vector<double>{0.25, 0.5})); // by name, in the DNN's order
  EXPECT_EQ(p->branch_s, (std::vector<double>{0.01}));

  const std::string other = temp_file("other.yaml", "edge_profile: x\ndnn: alexnet\nlayers: []\n");
  EXPECT_THROW_MSG(load_edge_profile(other, dnn),
                   other + ":2:6: edge profile: dnn must be the name of the DNN it profiles ('t') (got alexnet)");
  const std::string missing = temp_file("missing.yaml", "edge_profile: x\ndnn: t\nlayers:\n"
                                                        "  - {name: l1, edge_time_s: 0.25}\n");
  EXPECT_THROW_MSG(load_edge_profile(missing, dnn),
                   missing + ":1:1: edge profile: missing edge_time_s of layer 'l2' (an edge profile gives every "
                             "layer and branch)");
  const std::string unknown = temp_file("unknown.yaml", "edge_profile: x\ndnn: t\nlayers:\n"
                                                        "  - {name: conv9, edge_time_s: 0.25}\n");
  EXPECT_THROW_MSG(load_edge_profile(unknown, dnn),
                   unknown + ":4:12: layer #1: name must name a layer of the DNN (valid: l1, l2) (got conv9)");
  const std::string twice = temp_file("twice.yaml", "edge_profile: x\ndnn: t\nlayers:\n"
                                                    "  - {name: l1, edge_time_s: 0.25}\n"
                                                    "  - {name: l1, edge_time_s: 0.25}\n");
  EXPECT_THROW_MSG(load_edge_profile(twice, dnn),
                   twice + ":5:12: layer #2: name must appear once among the layers (got l1)");
  const std::string nan = temp_file("nan.yaml", "edge_profile: x\ndnn: t\nlayers:\n"
                                                "  - {name: l1, edge_time_s: .nan}\n");
  EXPECT_THROW_MSG(load_edge_profile(nan, dnn),
                   nan + ":4:29: layer 'l1': edge_time_s must be a finite number (got .nan)");
  std::filesystem::remove_all(std::filesystem::path(good).parent_path());
}
