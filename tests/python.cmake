# Python tests of the profiler (analysis/profile) and the testbed (analysis/testbed), run by Debian's interpreter,
# which has python3-torch and python3-torchvision. Each script takes the popex-sim binary as its argument and exits
# 77 when it skips (with the reason on stdout): the testbed test without root or network namespaces.
set(POPEX_PYTHON /usr/bin/python3 CACHE FILEPATH "Debian's python3 with python3-torch, for the Python tests")
foreach(name IN ITEMS profiler_smoke profiler_bad_input outcome_sampler testbed_smoke)
  add_test(NAME python/${name}
           COMMAND ${POPEX_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/python/test_${name}.py $<TARGET_FILE:popex-sim>
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(python/${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()
