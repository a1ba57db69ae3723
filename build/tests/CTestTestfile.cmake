# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(test_models_basic "/work/main/build/tests/test_models_basic")
set_tests_properties(test_models_basic PROPERTIES  ENVIRONMENT "HA_CLI=/work/main/build/holoanim;HA_SOURCE_DIR=/work/main" SKIP_RETURN_CODE "77" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;11;add_test;/work/main/tests/CMakeLists.txt;0;")
