# Campaign tests (included by tests/CMakeLists.txt): expansion, overrides, validation messages, and the fork-per-run
# runner driven by fake run functions. Each TEST runs in its own process (the runner forks and handles SIGCHLD).
add_executable(popex_campaign_tests
  unit/campaign/test_overrides.cpp
  unit/campaign/test_campaign_spec.cpp
  unit/campaign/test_run_expansion.cpp
  unit/campaign/test_campaign_runner.cpp
  unit/campaign/test_campaign_summary.cpp
  unit/campaign/test_slurm_script.cpp
)
target_link_libraries(popex_campaign_tests PRIVATE popex_campaign GTest::gtest_main popex_warnings)
popex_precompile(popex_campaign_tests <gtest/gtest.h>)
target_compile_definitions(popex_campaign_tests PRIVATE
                           POPEX_CAMPAIGN_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data/campaign"
                           POPEX_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(popex_campaign_tests DISCOVERY_MODE PRE_TEST TEST_PREFIX "campaign." PROPERTIES TIMEOUT 30)

# A stand-in for `popex-sim campaign|merge` with fake runs, to test the campaign through shells and schedulers.
add_executable(popex_campaign_fake unit/campaign/fake_campaign_main.cpp)
target_link_libraries(popex_campaign_fake PRIVATE popex_campaign CLI11::CLI11 popex_warnings)

find_program(POPEX_GNU_PARALLEL parallel)
if(POPEX_GNU_PARALLEL)
  add_test(NAME campaign.shards_through_gnu_parallel
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/unit/campaign/parallel_shards.sh $<TARGET_FILE:popex_campaign_fake>
                   ${CMAKE_CURRENT_SOURCE_DIR}/data/campaign/shards.yaml ${CMAKE_CURRENT_BINARY_DIR}/campaign-parallel)
endif()
add_test(NAME campaign.sigkill_then_resume
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/unit/campaign/kill_resume.sh $<TARGET_FILE:popex_campaign_fake>
                 ${CMAKE_CURRENT_SOURCE_DIR}/data/campaign/shards.yaml ${CMAKE_CURRENT_BINARY_DIR}/campaign-kill
                 --sleep-ms 20)
set_tests_properties(campaign.sigkill_then_resume PROPERTIES TIMEOUT 30)

# The same, with popex-sim itself on a real (small) campaign: SimGrid runs in forked children.
set(real_campaign ${CMAKE_CURRENT_SOURCE_DIR}/data/campaign/real.yaml)
add_test(NAME campaign.real.j1_equals_j2
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/campaign_jobs.sh $<TARGET_FILE:popex-sim> ${real_campaign}
                 ${CMAKE_CURRENT_BINARY_DIR}/campaign-real-jobs)
add_test(NAME campaign.real.sigkill_then_resume
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/unit/campaign/kill_resume.sh $<TARGET_FILE:popex-sim> ${real_campaign}
                 ${CMAKE_CURRENT_BINARY_DIR}/campaign-real-kill)
if(POPEX_GNU_PARALLEL)
  add_test(NAME campaign.real.shards_through_gnu_parallel
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/unit/campaign/parallel_shards.sh $<TARGET_FILE:popex-sim> ${real_campaign}
                   ${CMAKE_CURRENT_BINARY_DIR}/campaign-real-parallel)
endif()
set_tests_properties(campaign.real.j1_equals_j2 campaign.real.sigkill_then_resume PROPERTIES TIMEOUT 120)
add_test(NAME campaign.real.analytic_equals_solve
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/campaign_analytic.sh $<TARGET_FILE:popex-sim>
                 ${CMAKE_CURRENT_BINARY_DIR}/campaign-analytic
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

# A campaign through a real one-node Slurm (slurm-wlm and munge, started and stopped by the script): the scripts of
# `campaign --slurm`, submitted with sbatch, merged, equal to -j 1. Needs root; skipped (77) without it or the
# packages. About 12 s; the bound is generous, as a loaded machine schedules slowly.
add_test(NAME campaign.slurm.real_cluster_equals_j1
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/slurm_e2e.sh $<TARGET_FILE:popex-sim> ${real_campaign}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(campaign.slurm.real_cluster_equals_j1 PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
