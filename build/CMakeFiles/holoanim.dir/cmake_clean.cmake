file(REMOVE_RECURSE
  "CMakeFiles/holoanim.dir/tools/cli_eval.c.o"
  "CMakeFiles/holoanim.dir/tools/cli_eval.c.o.d"
  "CMakeFiles/holoanim.dir/tools/cli_models.c.o"
  "CMakeFiles/holoanim.dir/tools/cli_models.c.o.d"
  "CMakeFiles/holoanim.dir/tools/cli_render.c.o"
  "CMakeFiles/holoanim.dir/tools/cli_render.c.o.d"
  "CMakeFiles/holoanim.dir/tools/holoanim.c.o"
  "CMakeFiles/holoanim.dir/tools/holoanim.c.o.d"
  "CMakeFiles/holoanim.dir/tools/svg.c.o"
  "CMakeFiles/holoanim.dir/tools/svg.c.o.d"
  "holoanim"
  "holoanim.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/holoanim.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
