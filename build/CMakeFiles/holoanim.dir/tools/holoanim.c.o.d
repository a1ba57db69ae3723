CMakeFiles/holoanim.dir/tools/holoanim.c.o: /work/main/tools/holoanim.c \
 /usr/include/stdc-predef.h
