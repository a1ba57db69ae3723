
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/easing.c" "CMakeFiles/holoanim_obj.dir/src/easing.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/easing.c.o.d"
  "/work/main/src/error.c" "CMakeFiles/holoanim_obj.dir/src/error.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/error.c.o.d"
  "/work/main/src/model.c" "CMakeFiles/holoanim_obj.dir/src/model.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/model.c.o.d"
  "/work/main/src/models/circular.c" "CMakeFiles/holoanim_obj.dir/src/models/circular.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/circular.c.o.d"
  "/work/main/src/models/linear.c" "CMakeFiles/holoanim_obj.dir/src/models/linear.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/linear.c.o.d"
  "/work/main/src/motion.c" "CMakeFiles/holoanim_obj.dir/src/motion.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/motion.c.o.d"
  "/work/main/src/timing.c" "CMakeFiles/holoanim_obj.dir/src/timing.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/timing.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
