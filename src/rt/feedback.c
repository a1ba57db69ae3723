/* Device feedback from the network: which output an echo came from.
 *
 * A device answers from its own address (a Holophonix from the address we
 * send to; the simulated device from the very socket we send to), so the
 * sender's address names the output, and that output's mapping and units
 * turn the wire values into a show track's position. With two processors,
 * track 1 of each is a different show track. Matched on the control thread
 * through the player's public accessors (the outputs are fixed once the
 * player runs); the tick only ever sees the resulting ha_player_device_echo.
 * Rejected: matching by port only (a processor may answer from any port)
 * and taking echoes from anyone (a stray packet would move a track's base). */
#include "rt_internal.h"

#include <stdint.h>
#include <string.h>

/* The output whose device sent `e`: address and port, else address only. */
static size_t echo_output(const ha_player *p, const ha_control_echo *e) {
  size_t by_addr = SIZE_MAX;
  for (size_t i = 0; i < ha_player_output_count(p); i++) {
    uint8_t addr[16];
    uint16_t port = 0;
    ha_output_device_address(ha_player_output(p, i), addr, &port);
    if (memcmp(addr, e->from, 16) != 0) {
      continue;
    }
    if (port == e->from_port) {
      return i;
    }
    by_addr = by_addr == SIZE_MAX ? i : by_addr;
  }
  return by_addr;
}

ha_status ha_player_device_echo_from(ha_player *p, const ha_control_echo *e, size_t *output) {
  if (p == NULL || e == NULL) {
    return HA_EINVAL;
  }
  size_t i = echo_output(p, e);
  if (output != NULL) {
    *output = i;
  }
  if (i == SIZE_MAX) {
    ha_metrics_add(ha_player_metrics(p), HA_COUNTER_ECHOES_FOREIGN, 1);
    return HA_ENOTFOUND;
  }
  uint32_t id = 0;
  if (!ha_output_track_of(ha_player_output(p, i), e->index, &id)) {
    return HA_OK; /* the device knows an index this output never sends */
  }
  return ha_player_device_echo(
      p, id, ha_output_echo_position(ha_player_output(p, i), e->adm, e->aed, e->v));
}
