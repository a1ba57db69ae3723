file(REMOVE_RECURSE
  "libholoanim.pdb"
  "libholoanim.so"
  "libholoanim.so.0"
  "libholoanim.so.0.1.0"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/holoanim_shared.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
