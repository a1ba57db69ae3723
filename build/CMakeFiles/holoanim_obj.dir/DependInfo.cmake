
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/batch.c" "CMakeFiles/holoanim_obj.dir/src/batch.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/batch.c.o.d"
  "/work/main/src/easing.c" "CMakeFiles/holoanim_obj.dir/src/easing.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/easing.c.o.d"
  "/work/main/src/engine.c" "CMakeFiles/holoanim_obj.dir/src/engine.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/engine.c.o.d"
  "/work/main/src/error.c" "CMakeFiles/holoanim_obj.dir/src/error.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/error.c.o.d"
  "/work/main/src/group.c" "CMakeFiles/holoanim_obj.dir/src/group.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/group.c.o.d"
  "/work/main/src/model.c" "CMakeFiles/holoanim_obj.dir/src/model.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/model.c.o.d"
  "/work/main/src/models/attract_repel.c" "CMakeFiles/holoanim_obj.dir/src/models/attract_repel.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/attract_repel.c.o.d"
  "/work/main/src/models/bezier.c" "CMakeFiles/holoanim_obj.dir/src/models/bezier.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/bezier.c.o.d"
  "/work/main/src/models/bounce.c" "CMakeFiles/holoanim_obj.dir/src/models/bounce.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/bounce.c.o.d"
  "/work/main/src/models/catmull_rom.c" "CMakeFiles/holoanim_obj.dir/src/models/catmull_rom.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/catmull_rom.c.o.d"
  "/work/main/src/models/circular.c" "CMakeFiles/holoanim_obj.dir/src/models/circular.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/circular.c.o.d"
  "/work/main/src/models/circular_scan.c" "CMakeFiles/holoanim_obj.dir/src/models/circular_scan.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/circular_scan.c.o.d"
  "/work/main/src/models/doppler.c" "CMakeFiles/holoanim_obj.dir/src/models/doppler.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/doppler.c.o.d"
  "/work/main/src/models/elliptical.c" "CMakeFiles/holoanim_obj.dir/src/models/elliptical.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/elliptical.c.o.d"
  "/work/main/src/models/epicycloid.c" "CMakeFiles/holoanim_obj.dir/src/models/epicycloid.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/epicycloid.c.o.d"
  "/work/main/src/models/helix.c" "CMakeFiles/holoanim_obj.dir/src/models/helix.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/helix.c.o.d"
  "/work/main/src/models/keyframes.c" "CMakeFiles/holoanim_obj.dir/src/models/keyframes.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/keyframes.c.o.d"
  "/work/main/src/models/linear.c" "CMakeFiles/holoanim_obj.dir/src/models/linear.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/linear.c.o.d"
  "/work/main/src/models/lissajous.c" "CMakeFiles/holoanim_obj.dir/src/models/lissajous.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/lissajous.c.o.d"
  "/work/main/src/models/orbit.c" "CMakeFiles/holoanim_obj.dir/src/models/orbit.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/orbit.c.o.d"
  "/work/main/src/models/oscillator.c" "CMakeFiles/holoanim_obj.dir/src/models/oscillator.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/oscillator.c.o.d"
  "/work/main/src/models/pattern.c" "CMakeFiles/holoanim_obj.dir/src/models/pattern.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/pattern.c.o.d"
  "/work/main/src/models/pendulum.c" "CMakeFiles/holoanim_obj.dir/src/models/pendulum.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/pendulum.c.o.d"
  "/work/main/src/models/perlin_noise.c" "CMakeFiles/holoanim_obj.dir/src/models/perlin_noise.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/perlin_noise.c.o.d"
  "/work/main/src/models/random.c" "CMakeFiles/holoanim_obj.dir/src/models/random.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/random.c.o.d"
  "/work/main/src/models/rose_curve.c" "CMakeFiles/holoanim_obj.dir/src/models/rose_curve.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/rose_curve.c.o.d"
  "/work/main/src/models/spiral.c" "CMakeFiles/holoanim_obj.dir/src/models/spiral.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/spiral.c.o.d"
  "/work/main/src/models/spring.c" "CMakeFiles/holoanim_obj.dir/src/models/spring.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/spring.c.o.d"
  "/work/main/src/models/zigzag.c" "CMakeFiles/holoanim_obj.dir/src/models/zigzag.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/zigzag.c.o.d"
  "/work/main/src/models/zoom.c" "CMakeFiles/holoanim_obj.dir/src/models/zoom.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/models/zoom.c.o.d"
  "/work/main/src/motion.c" "CMakeFiles/holoanim_obj.dir/src/motion.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/motion.c.o.d"
  "/work/main/src/osc.c" "CMakeFiles/holoanim_obj.dir/src/osc.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/osc.c.o.d"
  "/work/main/src/path.c" "CMakeFiles/holoanim_obj.dir/src/path.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/path.c.o.d"
  "/work/main/src/pool.c" "CMakeFiles/holoanim_obj.dir/src/pool.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/pool.c.o.d"
  "/work/main/src/timing.c" "CMakeFiles/holoanim_obj.dir/src/timing.c.o" "gcc" "CMakeFiles/holoanim_obj.dir/src/timing.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
