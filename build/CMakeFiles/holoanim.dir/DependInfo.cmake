
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/tools/cli_eval.c" "CMakeFiles/holoanim.dir/tools/cli_eval.c.o" "gcc" "CMakeFiles/holoanim.dir/tools/cli_eval.c.o.d"
  "/work/main/tools/cli_models.c" "CMakeFiles/holoanim.dir/tools/cli_models.c.o" "gcc" "CMakeFiles/holoanim.dir/tools/cli_models.c.o.d"
  "/work/main/tools/cli_render.c" "CMakeFiles/holoanim.dir/tools/cli_render.c.o" "gcc" "CMakeFiles/holoanim.dir/tools/cli_render.c.o.d"
  "/work/main/tools/holoanim.c" "CMakeFiles/holoanim.dir/tools/holoanim.c.o" "gcc" "CMakeFiles/holoanim.dir/tools/holoanim.c.o.d"
  "/work/main/tools/svg.c" "CMakeFiles/holoanim.dir/tools/svg.c.o" "gcc" "CMakeFiles/holoanim.dir/tools/svg.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/holoanim_static.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
