file(REMOVE_RECURSE
  "CMakeFiles/test_models_basic.dir/test_models_basic.c.o"
  "CMakeFiles/test_models_basic.dir/test_models_basic.c.o.d"
  "test_models_basic"
  "test_models_basic.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_models_basic.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
