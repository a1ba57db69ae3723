file(REMOVE_RECURSE
  "libholoanim.a"
)
