# Link-rate trace readers and import-trace (sim/traces/): pure C++, no engine; included by tests/CMakeLists.txt.
add_executable(popex_trace_tests
  unit/traces/test_rate_trace.cpp
  unit/traces/test_simgrid_profile_trace.cpp
  unit/traces/test_mahimahi_trace.cpp
  unit/traces/test_mbps_trace.cpp
  unit/traces/test_sabre_trace.cpp
  unit/traces/test_import_trace.cpp
  unit/traces/test_shipped_profiles.cpp
  unit/traces/test_shared_traces.cpp
)
target_include_directories(popex_trace_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(popex_trace_tests PRIVATE popex_traces GTest::gtest_main popex_warnings)
popex_precompile(popex_trace_tests <gtest/gtest.h>)
target_compile_definitions(popex_trace_tests PRIVATE POPEX_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(popex_trace_tests DISCOVERY_MODE PRE_TEST TEST_PREFIX "traces/")

# The profiles we write, read by SimGrid itself: one engine per process, so one process per TEST.
add_executable(popex_trace_simgrid_tests unit/traces/test_profile_in_simgrid.cpp)
target_include_directories(popex_trace_simgrid_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_libraries(popex_trace_simgrid_tests PRIVATE popex_traces PkgConfig::SimGrid GTest::gtest_main
                                                        popex_warnings)
target_compile_definitions(popex_trace_simgrid_tests PRIVATE POPEX_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(popex_trace_simgrid_tests DISCOVERY_MODE PRE_TEST TEST_PREFIX "traces/")

# popex-sim import-trace end to end: a good mahimahi trace becomes the profile worked out in test_import_trace.cpp,
# and a bad one exits 2 with its file:line:col message.
add_test(NAME traces/cli/import-trace-mahimahi
         COMMAND sh -c "\"$1\" import-trace --format mahimahi tests/data/traces/small.up --bin-s 1 -o \"$2\" >/dev/null \
                        && grep -qx '3 2500' \"$2\" && grep -qx 'LOOPAFTER 0.6' \"$2\""
                 sh $<TARGET_FILE:popex-sim> ${CMAKE_CURRENT_BINARY_DIR}/import-trace-small.profile
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
# Bad traces through import-trace are cases of tests/data/bad/MANIFEST (trace/...).
