file(REMOVE_RECURSE
  "libholoanim.a"
  "libholoanim.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/holoanim_static.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
