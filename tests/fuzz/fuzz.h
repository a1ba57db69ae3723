/* What every libFuzzer target here shares: the target's prototype, REQUIRE
 * (a property of the code under test; abort() so libFuzzer keeps the input)
 * and, built with HA_FUZZ_STANDALONE, a main() that replays the files named
 * on the command line (CTest's fuzz_*_replay tests run the seed corpora so). */
#ifndef HA_TESTS_FUZZ_H
#define HA_TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                             \
  do {                                                                            \
    if (!(cond)) {                                                                \
      fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
      abort();                                                                    \
    }                                                                             \
  } while (0)

#ifdef HA_FUZZ_STANDALONE
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (f == NULL) {
      perror(argv[i]);
      return 1;
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    /* An exact-size copy, so ASan catches a read past the end. */
    uint8_t *p = malloc(n > 0 ? n : 1);
    if (p == NULL) {
      return 1;
    }
    memcpy(p, buf, n);
    LLVMFuzzerTestOneInput(p, n);
    free(p);
  }
  printf("replayed %d input(s)\n", argc - 1);
  return 0;
}
#endif

#endif
