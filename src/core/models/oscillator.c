/* oscillator: a stationary oscillation about a centre, in seconds:
 * α = 2π·f·τ + rad(phase); P = center + amplitude·w(α)·unit(direction), with
 * w from ha__waveform (sine, triangle, square, sawtooth).
 *
 * v2.0 projects gave the amplitude as a vector {x, y, z}: the generic parser
 * stores its length in the amplitude slot (HA_PARAM_F_VEC3_OK) and prepare
 * turns its direction into `direction`. When `direction` is given as well,
 * it must agree with the vector (same unit vector): a contradiction is an
 * error rather than one of the two being silently ignored. The unit direction
 * is stored back into the direction slots, so local() does no normalising. */
#include "model_impl.h"

enum { S_CENTER = 0, S_WAVE = 3, S_AMP = 4, S_FREQ = 5, S_PHASE = 6, S_DIR = 7 };
/* Table positions, for ha__params_get in prepare. */
enum { I_CENTER, I_WAVE, I_AMP, I_FREQ, I_PHASE, I_DIR };

static const ha_param_info params[] = {
    [I_CENTER] = HA__P_CENTER(S_CENTER, "rest position the source oscillates about (m)"),
    [I_WAVE] = HA__P_CHOICE(S_WAVE, "waveform", NULL, "sine|triangle|square|sawtooth", 0,
                            "shape of the oscillation"),
    [I_AMP] = {.name = "amplitude",
               .type = HA_PARAM_NUMBER,
               .unit = "m",
               .def = {2, 0, 0},
               .min = 0,
               .max = HA__POS_MAX,
               .description = "peak displacement from the centre (m); a v2.0 vector "
                              "[x, y, z] also sets the direction",
               .slot = S_AMP,
               .flags = HA_PARAM_F_VEC3_OK},
    [I_FREQ] =
        HA__P_NUM(S_FREQ, "frequency", NULL, "Hz", 1, 0, 1000, "oscillations per second (Hz)"),
    [I_PHASE] = HA__P_DEG(S_PHASE, "phase", NULL, 0, "phase of the waveform at τ = 0 (deg)"),
    [I_DIR] = HA__P_DIR(S_DIR, "direction", NULL, 0, 1, 0,
                        "axis of the oscillation (any non-zero length)"),
};

static ha_status prepare(ha__motion_data *d, const ha_params *raw, ha_error *err) {
  ha__value v;
  ha_vec3 dir = ha__slot_vec3(d, S_DIR);
  ha_vec3 u;
  ha_status st =
      ha__unit_direction(dir, "direction", "[0, 0, 0]",
                         "must not be the zero vector (it gives the oscillation's axis)", &u, err);
  if (st != HA_OK) {
    return st;
  }
  if (ha__params_get(raw, &params[I_AMP], &v) && v.kind == HA_VALUE_NUMBERS && v.n == 3) {
    ha_vec3 amp = ha_vec3_make(v.num[0], v.num[1], v.num[2]);
    ha_vec3 ua = ha_vec3_normalize(amp);
    /* A zero vector amplitude has no direction: keep `direction`. */
    if (ha_vec3_dot(ua, ua) > 0.5) {
      ha__value dv;
      if (ha__params_get(raw, &params[I_DIR], &dv) && ha_vec3_dist(ua, u) > 1e-9) {
        char dtxt[100], atxt[100];
        ha__format_vec3(dtxt, sizeof(dtxt), dir);
        ha__format_vec3(atxt, sizeof(atxt), amp);
        return ha__error_invalid(err, HA_CATEGORY_MODEL, "direction", dtxt,
                                 "contradicts the vector amplitude %s, which sets the "
                                 "direction itself (give one or the other)",
                                 atxt);
      }
      u = ua;
    }
  }
  ha__vec3_store(&d->s[S_DIR], u);
  return HA_OK;
}

static ha_vec3 local(const ha__motion_data *d, const ha__eval *ev) {
  double alpha = HA_TAU * d->s[S_FREQ] * ev->tau + ha_deg2rad(d->s[S_PHASE]);
  double w = ha__waveform((int)d->s[S_WAVE], alpha);
  return ha_vec3_add(ha__slot_vec3(d, S_CENTER),
                     ha_vec3_scale(ha__slot_vec3(d, S_DIR), d->s[S_AMP] * w));
}

/* Batch kernel: P = center + (amplitude·u)·w(2π·f·τ + phase), in seconds. */
static ha__kernel pack(const ha__motion_data *d, ha__kernel_params *kp) {
  ha__kernel_shape(kp, ha__slot_vec3(d, S_CENTER), ha_deg2rad(d->s[S_PHASE]), HA_TAU * d->s[S_FREQ],
                   HA_EASE_LINEAR);
  ha__kernel_col(kp, 0, ha_vec3_scale(ha__slot_vec3(d, S_DIR), d->s[S_AMP]));
  kp->wave = (int)d->s[S_WAVE];
  kp->u_mode = 1;
  return HA__KERNEL_WAVE;
}

const ha__model ha__model_oscillator = {
    .info = HA__MODEL_INFO("oscillator", "wave,oscillator-stationary", HA_MODEL_ABS_TIME, params,
                           "oscillation about a centre along a direction (sine, triangle, square "
                           "or sawtooth)"),
    .prepare = prepare,
    .local = local,
    .pack = pack,
};
