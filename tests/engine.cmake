# Engine tests: each TEST runs in its own process (one SimGrid engine per process).
add_executable(popex_engine_tests
  engine/test_engine_link.cpp
  engine/test_engine_simulation.cpp
  engine/test_engine_update_box.cpp
  engine/test_engine_tiers.cpp
  engine/test_engine_energy.cpp
)
target_link_libraries(popex_engine_tests PRIVATE popex_cli popex_engine_linked popex_campaign GTest::gtest_main popex_warnings)
popex_precompile(popex_engine_tests <gtest/gtest.h> <simgrid/s4u.hpp>)
target_compile_definitions(popex_engine_tests PRIVATE POPEX_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(popex_engine_tests DISCOVERY_MODE PRE_TEST TEST_PREFIX "engine/")
