#include "config/dnn_loader.hpp"
#include "config/sample_csv.hpp"
#include "core/exit_model.hpp"
#include "test_helpers.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace popex;

TEST(TableExitModel, InterpolatesExitProbAndCorrectExits)
{
  // Rows (0.5: q 0.6, acc 0.8) and (0.9: q 0.2, acc 0.95). At 0.7 (w = 0.5):
  //   q = 0.4; q*acc = (0.48 + 0.19) / 2 = 0.335 -> acc = 0.335 / 0.4 = 0.8375.
  TableExitModel m({0.5, 0.9}, {{{0.5, 0.6, 0.8}, {0.9, 0.2, 0.95}}}, {0.9});
  const ExitPoint p = m.at(0.7);
  EXPECT_NEAR(p.exit_probs[0], 0.4, 1e-15);
  EXPECT_NEAR(p.accuracies[0], 0.8375, 1e-15);
  EXPECT_DOUBLE_EQ(p.final_accuracy, 0.9);
  EXPECT_DOUBLE_EQ(m.at(0.5).exit_probs[0], 0.6);
  EXPECT_DOUBLE_EQ(m.at(0.9).exit_probs[0], 0.2);
  // Expected accuracy with the branch on the edge: 0.4*0.8375 + 0.6*0.9 = 0.875; without it: 0.9.
  EXPECT_NEAR(m.expected_accuracy(0.7, 1), 0.875, 1e-15);
  EXPECT_NEAR(m.expected_accuracy(0.7, 0), 0.9, 1e-15);
}

TEST(TableExitModel, BackboneAccuracyMakesCloudOnlyExact)
{
  // q = 0.6, acc_b1 = 0.8, final (on the 40% that reach it) = 0.9, backbone over all samples = 0.85.
  // The final exit's accuracy on the 60% b1 would take: a = (0.85 - 0.4 x 0.9) / 0.6 = 0.49 / 0.6.
  // Cloud-only (no branch on the edge): 0.6 a + 0.4 x 0.9 = 0.85 = the backbone, as it must be.
  TableExitModel m({0.5}, {{{0.5, 0.6, 0.8}}}, {0.9}, 0.85);
  EXPECT_NEAR(m.at(0.5).exiting_final_accuracy(), 0.49 / 0.6, 1e-15);
  EXPECT_NEAR(m.expected_accuracy(0.5, 0), 0.85, 1e-15);
  EXPECT_NEAR(m.expected_accuracy(0.5, 1), 0.6 * 0.8 + 0.4 * 0.9, 1e-15);
  // Without it, the final accuracy stands in: cloud-only = 0.9.
  TableExitModel no_backbone({0.5}, {{{0.5, 0.6, 0.8}}}, {0.9});
  EXPECT_NEAR(no_backbone.expected_accuracy(0.5, 0), 0.9, 1e-15);
}

TEST(TableExitModel, OutsideTheTableIsAnError)
{
  TableExitModel m({0.5, 0.9}, {{{0.5, 0.6, 0.8}, {0.9, 0.2, 0.95}}}, {0.9});
  EXPECT_THROW_MSG(m.at(0.3), "threshold must be within the exit table [0.5, 0.9] (got 0.3)");
  EXPECT_THROW_MSG(m.at(0.95), "threshold must be within the exit table [0.5, 0.9] (got 0.95)");
  EXPECT_DOUBLE_EQ(m.at(0.9 + 1e-12).exit_probs[0], 0.2); // sweep rounding is snapped, not refused
}

TEST(PerSampleExitModel, HandCountedFourSamples)
{
  // samples4.csv: conf_b1 = 0.95, 0.85, 0.60, 0.40; correct_b1 = 1, 0, 1, 0; correct_final = 1, 1, 0, 1.
  // At threshold 0.8: samples 1 and 2 exit -> q = 2/4, acc_b1 = 1/2; final on samples 3, 4: acc = 1/2.
  // Expected accuracy with b1 on the edge: (1 + 0 + 0 + 1)/4 = 0.5; cloud-only (final on all): 3/4.
  const Workload w = load_workload(source_path("tests/data/dnn/samples4.yaml"));
  const ExitModel* m = w.variant("");
  const ExitPoint p  = m->at(0.8);
  EXPECT_DOUBLE_EQ(p.exit_probs[0], 0.5);
  EXPECT_DOUBLE_EQ(p.accuracies[0], 0.5);
  EXPECT_DOUBLE_EQ(p.final_accuracy, 0.5);
  EXPECT_DOUBLE_EQ(m->expected_accuracy(0.8, 1), 0.5);
  EXPECT_DOUBLE_EQ(m->expected_accuracy(0.8, 0), 0.75);
  // At 0.5: samples 1, 2, 3 exit (q = 3/4, acc 2/3); the last reaches the final exit and is right.
  EXPECT_DOUBLE_EQ(m->at(0.5).exit_probs[0], 0.75);
  EXPECT_DOUBLE_EQ(m->at(0.5).accuracies[0], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m->at(0.5).final_accuracy, 1.0);
  // conf >= threshold: 0.95 itself exits.
  EXPECT_DOUBLE_EQ(m->at(0.95).exit_probs[0], 0.25);
}

TEST(PerSampleExitModel, AgreesWithTheShippedTableOnRealData)
{
  const std::string yaml = source_path("workloads/dnn/b-alexnet-per-sample.yaml");
  const std::string csv  = source_path("../shared/data/models/b-alexnet/per_sample_confidences_cifar10.csv");
  if (!std::filesystem::exists(csv))
    GTEST_SKIP() << "raw data absent: " << csv;
  const Workload per_sample = load_workload(yaml);
  const Workload table      = load_workload(source_path("workloads/dnn/b-alexnet.yaml"));
  const ExitModel* ps       = per_sample.variant("");
  const ExitModel* tb       = table.variant("");
  // The data README: P[conf_b1 >= 0.8] = 0.494, branch accuracy 0.921 at 0.8.
  EXPECT_NEAR(ps->at(0.8).exit_probs[0], 0.494, 5e-4);
  EXPECT_NEAR(ps->at(0.8).accuracies[0], 0.921, 1e-3);
  // Every table row equals the per-sample computation at that threshold (the table is rounded to 12 digits).
  for (const double t : tb->grid()) {
    const ExitPoint a = ps->at(t);
    const ExitPoint b = tb->at(t);
    EXPECT_NEAR(a.exit_probs[0], b.exit_probs[0], 1e-11) << t;
    EXPECT_NEAR(a.accuracies[0], b.accuracies[0], 1e-11) << t;
    EXPECT_NEAR(a.final_accuracy, b.final_accuracy, 1e-11) << t;
    EXPECT_NEAR(ps->expected_accuracy(t, 1), tb->expected_accuracy(t, 1), 1e-11) << t;
    EXPECT_NEAR(ps->expected_accuracy(t, 0), tb->expected_accuracy(t, 0), 1e-11) << t; // via backbone_accuracy
  }
}

TEST(SampleCsv, BadCellsNameTheirPlace)
{
  const std::string dir = ::testing::TempDir();
  const std::string f   = dir + "/bad_samples.csv";
  {
    std::FILE* out = std::fopen(f.c_str(), "w");
    std::fputs("conf_branch_1,correct_branch_1,conf_branch_2,correct_branch_2\n0.9,1,0.8,1\n0.9,1,1.5,1\n", out);
    std::fclose(out);
  }
  EXPECT_THROW_MSG(load_sample_csv(f, 2), f + ":3:7: per-sample CSV: conf_branch_2 must be a number in [0, 1] (got 1.5)");
  EXPECT_THROW_MSG(load_sample_csv(f, 3),
                   f + ":1:1: per-sample CSV: header must have conf_branch_3 and correct_branch_3 (the DNN has 3 "
                       "exits, the last being the final exit)");
}
