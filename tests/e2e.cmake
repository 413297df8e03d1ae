# End-to-end CLI runs: every shipped scenario (shortened), and determinism.
file(GLOB shipped_scenarios CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/workloads/scenarios/*.yaml)
foreach(scenario IN LISTS shipped_scenarios)
  get_filename_component(name ${scenario} NAME_WE)
  add_test(NAME e2e/scenario/${name}
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_scenario.sh $<TARGET_FILE:popex-sim> ${scenario}
                   ${CMAKE_CURRENT_BINARY_DIR}/e2e/${name}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endforeach()
add_test(NAME e2e/determinism
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/determinism.sh $<TARGET_FILE:popex-sim>
                 ${PROJECT_SOURCE_DIR}/workloads/scenarios/b-alexnet-3g.yaml ${CMAKE_CURRENT_BINARY_DIR}/e2e/determinism
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME e2e/square-wave-static-vs-dynamic
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/square_wave.sh $<TARGET_FILE:popex-sim>
                 ${CMAKE_CURRENT_BINARY_DIR}/e2e/square-wave
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME e2e/one-device-equals-single-device
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/one_device.sh $<TARGET_FILE:popex-sim> ${CMAKE_CURRENT_BINARY_DIR}/e2e/one-device
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME e2e/tracing-generated-platforms
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/tracing.sh $<TARGET_FILE:popex-sim>
                 ${CMAKE_CURRENT_BINARY_DIR}/e2e/tracing
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME e2e/latency-rises-with-devices
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/devices_load.sh $<TARGET_FILE:popex-sim> ${CMAKE_CURRENT_BINARY_DIR}/e2e/devices
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

# Faults (issue 14): SIGKILL between result files, a full disk, FIFOs as inputs.
add_test(NAME e2e/fault/kill-between-writes
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/kill_between_writes.sh $<TARGET_FILE:popex-sim>
                 ${CMAKE_CURRENT_BINARY_DIR}/e2e/kill-between-writes
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME e2e/fault/disk-full
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/disk_full.sh $<TARGET_FILE:popex-sim> ${CMAKE_CURRENT_BINARY_DIR}/e2e/disk-full
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(e2e/fault/disk-full PROPERTIES SKIP_RETURN_CODE 77)
add_test(NAME e2e/fault/memory-cgroup
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/memory_cgroup.sh $<TARGET_FILE:popex-sim>
                 ${CMAKE_CURRENT_BINARY_DIR}/e2e/memory-cgroup
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(e2e/fault/memory-cgroup PROPERTIES SKIP_RETURN_CODE 77)
add_test(NAME e2e/fault/fifo-inputs
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/fifo_inputs.sh $<TARGET_FILE:popex-sim> ${CMAKE_CURRENT_BINARY_DIR}/e2e/fifo
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME e2e/empty-arguments COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/empty_arguments.sh $<TARGET_FILE:popex-sim>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME e2e/golden-results
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/golden.sh $<TARGET_FILE:popex-sim> ${CMAKE_CURRENT_SOURCE_DIR}/data/golden/MANIFEST
                 ${CMAKE_CURRENT_BINARY_DIR}/e2e/golden
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
if(POPEX_ENGINE_MODULE)
  add_test(NAME e2e/engine-loaded-only-to-simulate
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/engine_loading.sh $<TARGET_FILE:popex-sim>
                   ${CMAKE_CURRENT_BINARY_DIR}/e2e/engine-loading
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endif()
