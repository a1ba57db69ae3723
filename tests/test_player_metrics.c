/* The player's metrics move: a show played tick by tick (ha_player_tick_once,
 * no thread) with an auto-started group (circular, batched), a cue fired
 * over the control port that starts a second group (pendulum, evaluated per
 * track) and device feedback, then every gauge and counter that a show
 * drives is checked for its value: active_tracks, active_animations,
 * cues_fired, messages_received, memory_bytes and the per-model
 * histograms, in the snapshot and in the Prometheus text. */
#include <unistd.h>

#include "holoanim.h"
#include "test.h"
#include "test_net.h"

static const char k_show[] =
    "{\"format\": 1, \"name\": \"metrics\",\n"
    " \"tracks\": [{\"id\": 1, \"position\": [0, 0, 1]}, {\"id\": 2, \"position\": [1, 0, 1]},\n"
    "            {\"id\": 3, \"position\": [2, 0, 1]}],\n"
    " \"animations\": [\n"
    "   {\"name\": \"spin\", \"model\": \"circular\", \"duration\": 4, \"loop\": \"loop\",\n"
    "    \"parameters\": {\"radius\": 1}},\n"
    "   {\"name\": \"swing\", \"model\": \"pendulum\", \"duration\": 10, \"loop\": \"loop\"}],\n"
    " \"groups\": [\n"
    "   {\"name\": \"pair\", \"animation\": \"spin\", \"tracks\": [1, 2], \"autoStart\": true},\n"
    "   {\"name\": \"bell\", \"animation\": \"swing\", \"tracks\": [3]}],\n"
    " \"cues\": [{\"number\": 1, \"name\": \"bell\",\n"
    "            \"actions\": [{\"type\": \"start\", \"group\": \"bell\"}]}]}\n";

typedef struct ctx {
  const ha_show *show;
  ha_player *player;
} ctx;

/* The control thread's handler, as `holoanim play` does it: a cue number
 * fires that cue on the player. */
static ha_status on_action(void *user, ha_control_action a, const char *name, double value,
                           char *reply, size_t cap) {
  (void)name;
  ctx *c = user;
  if (a != HA_CONTROL_CUE) {
    return HA_EUNSUPPORTED;
  }
  size_t idx = ha_show_cue_find(c->show, value);
  ha_status st = ha_show_player_fire_cue(c->show, c->player, idx, NULL);
  snprintf(reply, cap, "cue %g", value);
  return st;
}

/* The histogram of the key named `model` (NULL: none). */
static const ha_histogram_snap *model_hist(const ha_metrics_snap *s, const char *model) {
  for (size_t k = 0; k < HA_METRICS_MAX_KEYS; k++) {
    if (strcmp(s->model_name[k], model) == 0) {
      return &s->model[k];
    }
  }
  return NULL;
}

static void test_show_metrics_move(void) {
  ha_show *show = NULL;
  CHECK_OK(ha_show_load_string(k_show, sizeof k_show - 1, "metrics", &show, NULL));
  ha_player_config pc = ha_show_player_config(show, NULL);
  ha_player *p = NULL;
  ha_error err;
  CHECK_OK(ha_player_create(&pc, &p, &err));
  CHECK_OK(ha_show_player_setup(show, p, &err));
  ha_metrics *m = ha_player_metrics(p);

  /* Remote control with the player's metrics, on a free port. */
  ctx c = {show, p};
  ha_control_config cc = ha_control_config_default();
  cc.port = 0;
  cc.metrics = m;
  ha_control_handlers h = {&c, on_action, NULL};
  ha_control *ctl = NULL;
  CHECK_OK(ha_control_start(&cc, &h, &ctl, &err));
  uint16_t port = ha_control_port(ctl);

  CHECK_OK(ha_show_player_play(show, p, &err));
  double now = 100.0;
  for (int i = 0; i < 20; i++, now += 0.01) {
    CHECK_OK(ha_player_tick_once(p, now));
  }
  /* Three feedback messages, one unknown address, then the cue: its reply
   * means the control thread has handled all five (one thread, in order). */
  int fd = test_udp_open(0, NULL);
  CHECK(fd >= 0);
  for (int i = 0; i < 3; i++) {
    CHECK(test_osc_send(fd, port, "/track/1/xyz", ",fff", 0.5, 0.5, 1.0));
  }
  CHECK(test_osc_send(fd, port, "/no/such/address", ","));
  CHECK(test_osc_send(fd, port, "/holoanim/cue/go", ",i", 1));
  uint8_t buf[512];
  int acked = 0;
  for (int tries = 0; tries < 10 && !acked; tries++) {
    ssize_t n = test_udp_recv(fd, buf, sizeof buf, 60000);
    CHECK(n > 0);
    acked = n >= 13 && memcmp(buf, "/holoanim/ack", 13) == 0; /* the reply's address */
  }
  CHECK_MSG(acked, "no ack for /holoanim/cue/go");
  close(fd);
  ha_control_stats cs;
  ha_control_get_stats(ctl, &cs);
  ha_control_stop(ctl);
  for (int i = 0; i < 20; i++, now += 0.01) {
    CHECK_OK(ha_player_tick_once(p, now));
  }

  ha_metrics_snap *s = calloc(1, sizeof *s);
  CHECK(s != NULL);
  CHECK_OK(ha_metrics_snapshot(m, s));
  CHECK_NEAR(s->gauges[HA_GAUGE_ACTIVE_TRACKS], 3.0, 0);
  CHECK_NEAR(s->gauges[HA_GAUGE_ACTIVE_ANIMATIONS], 2.0, 0);
  CHECK_INT((long long)s->counters[HA_COUNTER_CUES], 1);
  CHECK_INT((long long)s->counters[HA_COUNTER_RECEIVED], 5);
  CHECK_INT((long long)s->counters[HA_COUNTER_RECEIVED],
            (long long)(cs.commands + cs.feedback + cs.unknown));
  /* At least the engine's per-track state blocks, and constant: the tick
   * never allocates. */
  CHECK(s->gauges[HA_GAUGE_MEMORY_BYTES] >= (double)(pc.max_tracks * 2 * sizeof(ha_motion_state)));
  CHECK(s->gauges[HA_GAUGE_MEMORY_BYTES] < 1e9);
  const ha_histogram_snap *circ = model_hist(s, "circular");
  const ha_histogram_snap *pend = model_hist(s, "pendulum");
  const ha_histogram_snap *rnd = model_hist(s, "random");
  CHECK(circ != NULL && pend != NULL && rnd != NULL);
  if (circ != NULL && pend != NULL && rnd != NULL) {
    /* circular: one batched range a tick over 40 ticks; pendulum: track 3
     * once a tick from the cue on; random: never used. */
    CHECK_INT((long long)circ->count, 40);
    CHECK(pend->count >= 1 && pend->count <= 20);
    CHECK_INT((long long)rnd->count, 0);
  }

  /* The same numbers in the exposition. */
  char *text = malloc(1 << 20);
  CHECK(text != NULL);
  CHECK(ha_metrics_to_prometheus(s, text, 1 << 20) > 0);
  CHECK(strstr(text, "\nholoanim_active_tracks 3\n") != NULL);
  CHECK(strstr(text, "\nholoanim_active_animations 2\n") != NULL);
  CHECK(strstr(text, "\nholoanim_cues_fired_total 1\n") != NULL);
  CHECK(strstr(text, "\nholoanim_messages_received_total 5\n") != NULL);
  CHECK(strstr(text, "holoanim_model_duration_seconds_count{key=\"") != NULL);
  free(text);
  free(s);
  ha_player_destroy(p);
  ha_show_destroy(show);
}

int main(void) {
  RUN(test_show_metrics_move);
  return test_done();
}
