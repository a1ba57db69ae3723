# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(test_core "/work/main/build/tests/test_core")
set_tests_properties(test_core PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_models_basic "/work/main/build/tests/test_models_basic")
set_tests_properties(test_models_basic PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_models_geometric "/work/main/build/tests/test_models_geometric")
set_tests_properties(test_models_geometric PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_models_physics "/work/main/build/tests/test_models_physics")
set_tests_properties(test_models_physics PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_osc "/work/main/build/tests/test_osc")
set_tests_properties(test_osc PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_osc_interop "/work/main/build/tests/test_osc_interop")
set_tests_properties(test_osc_interop PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_param_ranges "/work/main/build/tests/test_param_ranges")
set_tests_properties(test_param_ranges PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_svg "/work/main/build/tests/test_svg")
set_tests_properties(test_svg PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
