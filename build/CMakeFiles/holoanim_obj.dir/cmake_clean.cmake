file(REMOVE_RECURSE
  "CMakeFiles/holoanim_obj.dir/src/easing.c.o"
  "CMakeFiles/holoanim_obj.dir/src/easing.c.o.d"
  "CMakeFiles/holoanim_obj.dir/src/error.c.o"
  "CMakeFiles/holoanim_obj.dir/src/error.c.o.d"
  "CMakeFiles/holoanim_obj.dir/src/model.c.o"
  "CMakeFiles/holoanim_obj.dir/src/model.c.o.d"
  "CMakeFiles/holoanim_obj.dir/src/models/circular.c.o"
  "CMakeFiles/holoanim_obj.dir/src/models/circular.c.o.d"
  "CMakeFiles/holoanim_obj.dir/src/models/linear.c.o"
  "CMakeFiles/holoanim_obj.dir/src/models/linear.c.o.d"
  "CMakeFiles/holoanim_obj.dir/src/motion.c.o"
  "CMakeFiles/holoanim_obj.dir/src/motion.c.o.d"
  "CMakeFiles/holoanim_obj.dir/src/timing.c.o"
  "CMakeFiles/holoanim_obj.dir/src/timing.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/holoanim_obj.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
