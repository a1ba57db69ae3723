/* The send pass of an output's tick (ha_output_send, ha_output_flush):
 * rate divider, encode, one sendmmsg, commit (see output.c's design comment
 * for the whole). Split from output.c, which creates and configures. */
#include "holoanim/output.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "atomics.h"
#include "holoanim/osc.h"
#include "io_internal.h"
#include "output_impl.h"

#if defined(__SSE2__) && !defined(HA_NO_SIMD)
#include <emmintrin.h>
#endif

/* ---------------------------------------------------------------------------
 * The tick
 * ------------------------------------------------------------------------- */

static inline double clampd(double v, double lo, double hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* Wire values of a position for this output's dialect. */
static inline void to_wire(const ha_output *o, double x, double y, double z, double w[3]) {
  if (!o->aed) {
    w[0] = x;
    w[1] = y;
    w[2] = z;
    if (o->adm) {
      /* Outside the normalised cube the whole vector shrinks until its
       * largest component is 1: the direction survives (an xyz receiver
       * and an aed one agree), only the distance saturates. Clamping each
       * axis would pull every far source towards a corner of the cube. */
      double s = o->cfg.adm_scale;
      w[0] = x / s;
      w[1] = y / s;
      w[2] = z / s;
      double m = fmax(fabs(w[0]), fmax(fabs(w[1]), fabs(w[2])));
      if (m > 1.0) {
        w[0] /= m;
        w[1] /= m;
        w[2] /= m;
      }
    }
    return;
  }
  ha_vec3 aed = ha_xyz_to_aed(ha_vec3_make(x, y, z), o->sign);
  /* + 0.0 folds atan2's −0 (e.g. straight up) into +0 on the wire. */
  w[0] = aed.x + 0.0;
  w[1] = aed.y + 0.0;
  w[2] = o->adm ? clampd(aed.z / o->cfg.adm_scale, 0.0, 1.0) : aed.z;
}

/* True when `w` differs from the last sent values beyond the dead-band. */
static inline bool moved_beyond_deadband(const ha_output *o, const slot *s, const double w[3]) {
  double d0 = o->aed ? fabs(ha_angle_diff_deg(s->wire[0], w[0])) : fabs(w[0] - s->wire[0]);
  return d0 > o->thr[0] || fabs(w[1] - s->wire[1]) > o->thr[1] ||
         fabs(w[2] - s->wire[2]) > o->thr[2];
}

/* `{prefix}{index}/gain ,f g` at p (room for GAIN_MSG_MAX bytes). Returns
 * its size. */
static size_t encode_gain(const ha_output *o, const slot *s, uint32_t index, uint8_t *p) {
  size_t n = o->prefix_len, d = ha__decimal_digits(index);
  size_t pad = ha__pad4(n + d + 5 + 1);
  memset(p, 0, pad);
  memcpy(p, o->prefix, n);
  for (size_t k = d; k > 0; k--) {
    p[n + k - 1] = (uint8_t)('0' + index % 10u);
    index /= 10u;
  }
  memcpy(p + n + d, "/gain", 5);
  memcpy(p + pad, ",f\0\0", 4);
  ha__put_be_f32(p + pad + 4, s->gain_wire);
  return pad + 8;
}

/* Whether a gain goes with this tracked position: the first time, then at
 * the keep-alive period (a restarted device gets it back). */
static inline bool gain_due(const ha_output *o, const slot *s, double now) {
  if (s == NULL || !s->has_gain) {
    return false;
  }
  double keep = o->cfg.keep_alive_s, last = o->gain_last[s - o->slots];
  return !s->gain_sent || now < last || (keep > 0.0 && now - last >= keep);
}

/* One `,fff` message at p for an untracked id (room for MSG_MAX bytes
 * guaranteed by the buffer sizing). Returns its size. */
static int encode_fff_untracked(const ha_output *o, uint32_t index, uint8_t *p, const double w[3]) {
  return ha_osc_encode_track_fff(p, MSG_MAX, o->prefix, index, o->suffix, (float)w[0], (float)w[1],
                                 (float)w[2]);
}

static uint64_t bundle_timetag(const ha_output *o) {
  if (!(o->cfg.lookahead_ms > 0.0)) {
    return HA_OSC_TIMETAG_IMMEDIATE;
  }
  struct timespec ts;
  /* CLOCK_REALTIME through the vDSO: no syscall. OSC time tags are wall
   * clock (NTP), unlike `now`. */
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
    return HA_OSC_TIMETAG_IMMEDIATE;
  }
  long long ns = (long long)ts.tv_nsec + (long long)llround(o->cfg.lookahead_ms * 1e6);
  ts.tv_sec += (time_t)(ns / 1000000000LL);
  ts.tv_nsec = (long)(ns % 1000000000LL);
  return ha_osc_timetag_from_timespec(&ts);
}

/* What one due call did, step by step (encode, transmit, commit). */
typedef struct output_pass {
  size_t npend; /* positions encoded */
  size_t ndg;   /* datagrams built (iov, dg_first) */
  size_t done;  /* datagrams the kernel took */
  bool failed;  /* a send failed or stopped short: retry next call */
  uint64_t nonfinite, unmapped, untracked, skips, keepalives, syscalls, errors;
} output_pass;

/* Count a failed send by kind (ha_output_stats) and in the pass. */
static void output_count_error(ha_output *o, output_pass *pass, int e) {
  switch (e) {
  case ECONNREFUSED: ha__add_single_writer_relaxed_u64(&o->c.err_refused, 1); break;
  case EHOSTUNREACH:
  case ENETUNREACH:
  case EHOSTDOWN:
  case ENETDOWN: ha__add_single_writer_relaxed_u64(&o->c.err_unreachable, 1); break;
#if EWOULDBLOCK != EAGAIN
  case EWOULDBLOCK:
#endif
  case EAGAIN:
  case ENOBUFS:
  case EINTR: ha__add_single_writer_relaxed_u64(&o->c.err_again, 1); break;
  default: ha__add_single_writer_relaxed_u64(&o->c.err_other, 1); break;
  }
  pass->errors++;
  /* Relaxed: a diagnostic value, no ordering needed (see Counters). */
  ha__store_relaxed_int(&o->c.last_errno, e);
}

/* The rate divider: whether this call sends (a flush always does). */
static bool output_due(ha_output *o, double now, bool force) {
  if (!force && o->started && now + o->slack < o->next_due) {
    if (o->next_due - now <= 1.0 / o->cfg.rate_hz + o->slack) {
      ha__add_single_writer_relaxed_u64(&o->c.rate_skips, 1);
      return false;
    }
    /* `now` went back by more than a period (a clock restarted by the
     * caller): start a new schedule rather than stall until it catches up. */
    o->started = false;
  }
  return true;
}

/* One tracked `,fff` message at p from the slot's template t (room for
 * MSG_MAX bytes guaranteed by the buffer sizing). Returns its size. */
static inline size_t encode_fff_slot(const slot *s, const uint8_t *t, uint8_t *p, double w0,
                                     double w1, double w2) {
  /* A fixed 32-byte copy: the bytes past head_len are overwritten by the
   * floats just after. */
  memcpy(p, t + 4, 32);
  size_t a = s->head_len;
  ha__put_be_f32(p + a, (float)w0);
  ha__put_be_f32(p + a + 4, (float)w1);
  ha__put_be_f32(p + a + 8, (float)w2);
  return a + 12;
}

/* Whether a tracked position goes out (the dead-band and the keep-alive);
 * *keepalive tells that only the keep-alive sends it. */
static inline bool output_wanted(const ha_output *o, const slot *s, const double w[3], double now,
                                 bool *keepalive) {
  *keepalive = false;
  if (!slot_sent(s) || moved_beyond_deadband(o, s, w)) {
    return true;
  }
  double keep = o->cfg.keep_alive_s;
  *keepalive = keep > 0.0 && (now - s->last >= keep || now < s->last);
  return *keepalive;
}

/* Where an encode stands: buffer bytes used, datagrams (iov, dg_first,
 * dg_call) and positions encoded so far, the open bundle, what was
 * skipped. */
typedef struct encoder {
  size_t npend, ndg, pos, dg_start, in_dg;
  uint64_t tt; /* the bundles' time tag */
  uint64_t nonfinite, unmapped, untracked, skips, keepalives;
} encoder;

/* Close the open bundle as a datagram. */
static inline void encoder_close_bundle(ha_output *o, encoder *e) {
  o->iov[e->ndg].iov_base = o->buf + e->dg_start;
  o->iov[e->ndg].iov_len = e->pos - e->dg_start;
  e->ndg++;
  e->in_dg = 0;
}

/* Make room for `need` more bytes of messages: close the open bundle if they
 * do not fit (or it is full), open one if none is. */
static inline void encoder_room(ha_output *o, encoder *e, size_t need, size_t i) {
  size_t bmax = o->cfg.bundle_max_messages;
  if (e->in_dg > 0 &&
      (e->pos - e->dg_start + need > o->cfg.max_datagram || (bmax > 0 && e->in_dg >= bmax))) {
    encoder_close_bundle(o, e);
  }
  if (e->in_dg == 0) {
    e->dg_start = e->pos;
    memcpy(o->buf + e->pos, "#bundle", 8);
    ha__put_be64(o->buf + e->pos + 8, e->tt);
    e->pos += 16;
    o->dg_first[e->ndg] = e->npend;
    o->dg_call[e->ndg] = i;
  }
}

/* Position i, any case: skip it if it must not or need not go, else encode
 * it (with its gain when due) and mark its slot sent (output_commit). */
static void output_encode_one(ha_output *o, encoder *e, size_t i, double now, const uint32_t *ids,
                              const double *x, const double *y, const double *z, bool force) {
  double w[3] = {x[i], y[i], z[i]};
  if (!isfinite(w[0]) || !isfinite(w[1]) || !isfinite(w[2])) {
    e->nonfinite++;
    return;
  }
  uint32_t id = ids[i], index = id;
  size_t si = ha__output_slot_of(o, id, i);
  slot *s = si != SIZE_MAX ? &o->slots[si + 1] : NULL;
  if (s != NULL) {
    if (!s->mapped) {
      e->unmapped++;
      return;
    }
    index = s->index;
  } else {
    e->untracked++;
    if (!ha_output_map_id(o, id, &index)) {
      e->unmapped++;
      return;
    }
  }
  to_wire(o, w[0], w[1], w[2], w);
  bool keepalive = false;
  if (!force && s != NULL && !output_wanted(o, s, w, now, &keepalive)) {
    e->skips++;
    return;
  }
  e->keepalives += keepalive;
  const bool gain = o->cfg.gains_len > 0 && gain_due(o, s, now);
  if (o->cfg.bundle) {
    size_t msize =
        s != NULL ? (size_t)s->head_len + 12
                  : ha__pad4(o->prefix_len + ha__decimal_digits(index) + o->suffix_len + 1) + 20;
    encoder_room(o, e, 4 + msize + (gain ? 4 + GAIN_MSG_MAX : 0), i);
    if (gain) {
      size_t g = encode_gain(o, s, index, o->buf + e->pos + 4);
      ha__put_be32(o->buf + e->pos, (uint32_t)g);
      e->pos += 4 + g;
    }
    uint8_t *p = o->buf + e->pos + 4;
    size_t r = s != NULL ? encode_fff_slot(s, o->tmpl + (si + 1) * TMPL_SIZE, p, w[0], w[1], w[2])
                         : (size_t)encode_fff_untracked(o, index, p, w);
    ha__put_be32(o->buf + e->pos, (uint32_t)r);
    e->pos += 4 + r;
    e->in_dg++;
  } else {
    for (int k = gain ? 0 : 1; k < 2; k++) {
      uint8_t *p = o->buf + e->pos;
      size_t r = k == 0 ? encode_gain(o, s, index, p)
                 : s != NULL
                     ? encode_fff_slot(s, o->tmpl + (si + 1) * TMPL_SIZE, p, w[0], w[1], w[2])
                     : (size_t)encode_fff_untracked(o, index, p, w);
      o->iov[e->ndg].iov_base = p;
      o->iov[e->ndg].iov_len = r;
      o->dg_first[e->ndg] = e->npend;
      o->dg_call[e->ndg++] = i;
      e->pos += r;
    }
  }
  e->npend++;
  if (s != NULL) {
    /* Sent, until the commit says otherwise. */
    memcpy(s->wire, w, sizeof s->wire);
    s->last = now;
    s->key |= SLOT_SENT;
    if (gain) {
      s->gain_sent = true;
      o->gain_last[s - o->slots] = now;
    }
  }
}

/* What the fast paths read of the output, once per call. */
typedef struct fast_cfg {
  slot *slots;
  const uint8_t *tmpl;
  const uint32_t *hint;
  double thr;  /* the dead-band (one for x, y, z) */
  double keep; /* keep-alive period, 0: none */
  double now;
  double adm_scale;
  bool force;
  bool adm;
} fast_cfg;

/* ADM-OSC: the position becomes its wire values, as to_wire does (a NaN or
 * an infinity stays one in at least one of them). */
static inline void fast_to_wire(bool adm, const fast_cfg *f, double *w0, double *w1, double *w2) {
  if (adm) {
    double sc = f->adm_scale, a = *w0 / sc, b = *w1 / sc, c = *w2 / sc;
    double m = fmax(fabs(a), fmax(fabs(b), fabs(c)));
    if (m > 1.0) {
      a /= m;
      b /= m;
      c /= m;
    }
    *w0 = a;
    *w1 = b;
    *w2 = c;
  }
}

/* The fast paths' slot for position i: tracked, fast (mapped, no gain, not
 * AED) and sent before, all in one compare of the key. Tracks are usually
 * first seen in call order: position i's slot is then i + 1, an address
 * known before any load; the call index's hint, which names it otherwise,
 * is read only when it is not. NULL leaves the position to
 * output_encode_one. */
static __attribute__((noinline, cold)) slot *fast_slot_hinted(const fast_cfg *f, size_t i,
                                                              uint64_t key) {
  slot *s = &f->slots[f->hint[i]]; /* hint 0: the sentinel, whose key matches no id */
  return s->key == key ? s : NULL;
}

static inline slot *fast_slot(const fast_cfg *f, size_t i, uint32_t id) {
  const uint64_t key = SLOT_KEY(id) | SLOT_FAST | SLOT_SENT;
  slot *s = &f->slots[i + 1];
  return HA__UNLIKELY(s->key != key) ? fast_slot_hinted(f, i, key) : s;
}

/* Whether a fast slot's wire values go: 1 when forced, moved beyond the
 * dead-band (the largest move, with maxsd rather than libm's fmax, a call)
 * or the keep-alive is due (counted in *keepalives); 0 when they stay; -1
 * when one is NaN or infinite (the slot's are finite, so its distance is
 * too; a sum too large for a double says the same), for output_encode_one,
 * which counts it and never lets it reach the wire. */
static __attribute__((noinline, cold)) int fast_keepalive(const fast_cfg *f, const slot *s,
                                                          uint64_t *keepalives) {
  if (f->keep > 0.0 && (f->now - s->last >= f->keep || f->now < s->last)) {
    (*keepalives)++;
    return 1;
  }
  return 0;
}

static inline int fast_wanted(const fast_cfg *f, bool force, double thr, const slot *s, double w0,
                              double w1, double w2, uint64_t *keepalives) {
  double d0 = fabs(w0 - s->wire[0]), d1 = fabs(w1 - s->wire[1]), d2 = fabs(w2 - s->wire[2]);
  if (HA__UNLIKELY(!(d0 + d1 + d2 < INFINITY))) {
    return -1;
  }
  double d01 = d0 > d1 ? d0 : d1;
  if (HA__UNLIKELY(!force && !((d01 > d2 ? d01 : d2) > thr))) {
    return fast_keepalive(f, s, keepalives);
  }
  return 1;
}

/* A `,fff` message's last 16 bytes at p: the type tags' last 4 (zeros:
 * ",fff" is padded with 4 NULs) and (float)w0, (float)w1, (float)w2
 * big-endian; one 16-byte store, no byte past the message (HA_NO_SIMD
 * builds take the scalar bytes, which test_output_fast checks there too). */
#if HA__OUTPUT_SSSE3
typedef char tail_bytes __attribute__((vector_size(16)));
#endif

static HA__ALWAYS_INLINE void put_tail_f32x3(uint8_t *p, double w0, double w1, double w2,
                                             bool ssse3) {
#if defined(__SSE2__) && !defined(HA_NO_SIMD)
  /* Two conversions for three floats (the fourth lane zero). */
  __m128 f = _mm_movelh_ps(_mm_cvtpd_ps(_mm_set_pd(w1, w0)), _mm_cvtpd_ps(_mm_set_sd(w2)));
  __m128i v;
#if HA__OUTPUT_SSSE3
  if (ssse3) {
    /* One byte shuffle (pshufb where this is inlined): the zero lane first,
     * then each float's bytes reversed. */
#if defined(__clang__)
    v = (__m128i)__builtin_shufflevector((tail_bytes)f, (tail_bytes)f, 12, 13, 14, 15, 3, 2, 1, 0,
                                         7, 6, 5, 4, 11, 10, 9, 8);
#else
    v = (__m128i)__builtin_shuffle(
        (tail_bytes)f, (tail_bytes){12, 13, 14, 15, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8});
#endif
  } else
#endif
  {
    (void)ssse3;
    /* Moved up one lane behind the zero, and each 32-bit word's bytes
     * reversed: swap the bytes of each 16-bit half, then the halves. */
    v = _mm_slli_si128(_mm_castps_si128(f), 4);
    v = _mm_or_si128(_mm_slli_epi16(v, 8), _mm_srli_epi16(v, 8));
    v = _mm_shufflehi_epi16(_mm_shufflelo_epi16(v, 0xB1), 0xB1);
  }
  _mm_storeu_si128((__m128i *)(void *)p, v);
#else
  (void)ssse3;
  memset(p, 0, 4);
  ha__put_be_f32(p + 4, (float)w0);
  ha__put_be_f32(p + 8, (float)w1);
  ha__put_be_f32(p + 12, (float)w2);
#endif
}

/* Note what went in the slot (sent it was: fast_slot checked). */
static inline void fast_mark_sent(slot *s, double w0, double w1, double w2, double now) {
  s->wire[0] = w0;
  s->wire[1] = w1;
  s->wire[2] = w2;
  s->last = now;
}

/* Close the open bundle (if any) at p and open one there, in the encoder's
 * state (e->in_dg 1: open; output_encode_fast_bundled counts its messages
 * when it leaves). Returns where its first message goes; *end gets the
 * bundle's end (max_datagram). Out of the fast loop: rare, and its pointers
 * would take registers from the loop. */
static inline uint8_t *fast_next_bundle(ha_output *o, encoder *e, uint8_t *p, size_t npend,
                                        size_t i, uint8_t **end) {
  if (e->in_dg > 0) {
    o->iov[e->ndg].iov_base = o->buf + e->dg_start;
    o->iov[e->ndg].iov_len = (size_t)(p - (o->buf + e->dg_start));
    e->ndg++;
  }
  e->dg_start = (size_t)(p - o->buf);
  e->in_dg = 1;
  memcpy(p, "#bundle", 8);
  ha__put_be64(p + 8, e->tt);
  o->dg_first[e->ndg] = npend;
  o->dg_call[e->ndg] = i;
  *end = p + o->cfg.max_datagram;
  return p + 16;
}

/* The bundled common case, from position i on: returns the first position
 * it leaves to output_encode_one (n: none). What the loop needs lives in
 * locals: the messages are stores to bytes, which may alias any memory the
 * compiler cannot prove private, so whatever it read through a pointer
 * would be reloaded after every store; and few enough of them that none
 * spills to the stack: the skips are counted (rare when tracks move), the
 * messages follow from them when it leaves; the template and hint arrays
 * are read from f on the rare paths only. Each message is its track's
 * template (size, address, type tags: copied only when the previous
 * encode did not leave them at this offset) and its last 16 bytes in one
 * store. */
static HA__ALWAYS_INLINE size_t fast_bundled(ha_output *o, encoder *e, const fast_cfg *f, size_t i,
                                             size_t n, const uint32_t *ids, const double *x,
                                             const double *y, const double *z, bool adm, bool force,
                                             bool limited, bool ssse3) {
  slot *const slots = f->slots;
  const double thr = f->thr, now = f->now;
  const size_t i0 = i, npend0 = e->npend;
  size_t skipped = 0;
  uint8_t *const buf = o->buf;
  /* A slot whose last fast message was at this offset in the previous
   * encode finds its bytes still there (see slot.reused): its reused is
   * that encode's count · REUSE_STEP plus the offset, here the address p
   * plus a constant (modulo 2^64), and this encode's one step more (an
   * immediate): one register for both. */
  const uint64_t prev_k = (uint64_t)(o->encodes - 1) * REUSE_STEP - (uint64_t)(uintptr_t)buf;
  /* The open bundle's end (none open: here, so that the first message
   * opens one) and, when limited, the messages it still takes (0: none
   * open, or full). */
  const size_t bmax = o->cfg.bundle_max_messages > 0 ? o->cfg.bundle_max_messages : SIZE_MAX;
  uint8_t *p = buf + e->pos;
  uint8_t *end = e->in_dg > 0 ? buf + e->dg_start + o->cfg.max_datagram : p;
  size_t left = e->in_dg > 0 ? bmax - e->in_dg : 0;
  /* Position i's slot when tracks were first seen in call order (i + 1),
   * as a pointer that moves with i. */
  slot *next = slots + i + 1;
  for (; i < n; i++, next++) {
    double w0 = x[i], w1 = y[i], w2 = z[i];
    const uint64_t key = SLOT_KEY(ids[i]) | SLOT_FAST | SLOT_SENT;
    slot *s = HA__UNLIKELY(next->key != key) ? fast_slot_hinted(f, i, key) : next;
    if (HA__UNLIKELY(s == NULL)) {
      break;
    }
    fast_to_wire(adm, f, &w0, &w1, &w2);
    int want = fast_wanted(f, force, thr, s, w0, w1, w2, &e->keepalives);
    if (HA__UNLIKELY(want <= 0)) {
      if (want < 0) {
        break;
      }
      skipped++;
      continue;
    }
    size_t a = s->head_len, m = a + 16;
    if (HA__UNLIKELY((limited && left == 0) || p + m > end)) {
      p = fast_next_bundle(o, e, p, npend0 + (i - i0) - skipped, i, &end);
      left = bmax;
    }
    const uint64_t tag = (uint64_t)(uintptr_t)p;
    if (HA__UNLIKELY(s->reused != tag + prev_k)) {
      /* Size word, address and the type tags' first 4 bytes (a >= 24):
       * the tail's store writes the rest, no byte past the message
       * changes, and the next message's may still be reused. */
      memcpy(p, f->tmpl + (size_t)(s - slots) * TMPL_SIZE, 32);
    }
    s->reused = tag + prev_k + REUSE_STEP;
    put_tail_f32x3(p + a, w0, w1, w2, ssse3);
    p += m;
    left -= limited;
    fast_mark_sent(s, w0, w1, w2, now);
  }
  if (limited && e->in_dg > 0) {
    e->in_dg = bmax - left; /* else: fast_next_bundle's 1, enough to say open */
  }
  e->pos = (size_t)(p - buf);
  e->skips += skipped;
  e->npend = npend0 + (i - i0) - skipped;
  return i;
}

/* The bundled fast path: a copy of the loop for the common case (not
 * ADM-OSC, not forced, no limit on messages per bundle) with its constants
 * folded, and one for the rest, each on its own (not inlined into the
 * caller nor beside each other: the registers are the loop's alone). */
static __attribute__((noinline)) size_t fast_bundled_common(ha_output *o, encoder *e,
                                                            const fast_cfg *f, size_t i, size_t n,
                                                            const uint32_t *ids, const double *x,
                                                            const double *y, const double *z) {
  return fast_bundled(o, e, f, i, n, ids, x, y, z, false, false, false, false);
}

#if HA__OUTPUT_SSSE3
/* The same with the tail's bytes in one shuffle (ha_output.ssse3). */
static __attribute__((noinline, target("ssse3"))) size_t fast_bundled_common_ssse3(
    ha_output *o, encoder *e, const fast_cfg *f, size_t i, size_t n, const uint32_t *ids,
    const double *x, const double *y, const double *z) {
  return fast_bundled(o, e, f, i, n, ids, x, y, z, false, false, false, true);
}
#endif

static __attribute__((noinline)) size_t fast_bundled_other(ha_output *o, encoder *e,
                                                           const fast_cfg *f, size_t i, size_t n,
                                                           const uint32_t *ids, const double *x,
                                                           const double *y, const double *z) {
  return fast_bundled(o, e, f, i, n, ids, x, y, z, f->adm, f->force, true, false);
}

static size_t output_encode_fast_bundled(ha_output *o, encoder *e, const fast_cfg *f, size_t i,
                                         size_t n, const uint32_t *ids, const double *x,
                                         const double *y, const double *z) {
  if (!f->adm && !f->force && o->cfg.bundle_max_messages == 0) {
#if HA__OUTPUT_SSSE3
    if (o->ssse3) {
      return fast_bundled_common_ssse3(o, e, f, i, n, ids, x, y, z);
    }
#endif
    return fast_bundled_common(o, e, f, i, n, ids, x, y, z);
  }
  return fast_bundled_other(o, e, f, i, n, ids, x, y, z);
}

/* The unbundled common case (one datagram per message), as
 * output_encode_fast_bundled. */
static size_t output_encode_fast_plain(ha_output *o, encoder *e, const fast_cfg *f, size_t i,
                                       size_t n, const uint32_t *ids, const double *x,
                                       const double *y, const double *z) {
  const bool adm = f->adm, force = f->force;
  uint8_t *const buf = o->buf;
  struct iovec *const iov = o->iov;
  size_t *const dg_first = o->dg_first, *const dg_call = o->dg_call;
  uint8_t *p = buf + e->pos;
  size_t npend = e->npend, ndg = e->ndg;
  uint64_t skips = 0, keepalives = 0;
  for (; i < n; i++) {
    double w0 = x[i], w1 = y[i], w2 = z[i];
    slot *s = fast_slot(f, i, ids[i]);
    if (s == NULL) {
      break;
    }
    fast_to_wire(adm, f, &w0, &w1, &w2);
    int want = fast_wanted(f, force, f->thr, s, w0, w1, w2, &keepalives);
    if (want <= 0) {
      if (want < 0) {
        break;
      }
      skips++;
      continue;
    }
    size_t m = encode_fff_slot(s, f->tmpl + (size_t)(s - f->slots) * TMPL_SIZE, p, w0, w1, w2);
    iov[ndg].iov_base = p;
    iov[ndg].iov_len = m;
    dg_first[ndg] = npend++;
    dg_call[ndg++] = i;
    p += m;
    fast_mark_sent(s, w0, w1, w2, f->now);
  }
  e->pos = (size_t)(p - buf);
  e->npend = npend;
  e->ndg = ndg;
  e->skips += skips;
  e->keepalives += keepalives;
  return i;
}

/* Walk the positions once: skip what must not or need not go, encode the
 * rest into buf (datagrams in iov, their positions pending), the common case
 * in output_encode_fast and the rest one by one. */
static void output_encode(ha_output *o, double now, size_t n, const uint32_t *ids, const double *x,
                          const double *y, const double *z, bool force, output_pass *pass) {
  encoder e;
  memset(&e, 0, sizeof e);
  e.tt = o->cfg.bundle ? bundle_timetag(o) : 0;
  if (++o->encodes == 0) {
    /* After 2^32 encodes: no slot's reused may match a stale one. */
    for (size_t k = 0; k <= o->max_tracks; k++) {
      o->slots[k].reused = 0;
    }
    o->encodes = 2;
  }
  const fast_cfg f = {o->slots, o->tmpl,          o->hint, o->thr[0], o->cfg.keep_alive_s,
                      now,      o->cfg.adm_scale, force,   o->adm};
  for (size_t i = 0; i < n; i++) {
    i = o->cfg.bundle ? output_encode_fast_bundled(o, &e, &f, i, n, ids, x, y, z)
                      : output_encode_fast_plain(o, &e, &f, i, n, ids, x, y, z);
    if (i < n) {
      output_encode_one(o, &e, i, now, ids, x, y, z, force);
    }
  }
  if (o->cfg.bundle && e.in_dg > 0) {
    encoder_close_bundle(o, &e);
  }
  o->dg_first[e.ndg] = e.npend;
  pass->npend = e.npend;
  pass->ndg = e.ndg;
  pass->nonfinite = e.nonfinite;
  pass->unmapped = e.unmapped;
  pass->untracked = e.untracked;
  pass->skips = e.skips;
  pass->keepalives = e.keepalives;
}

/* Send the datagrams: one sendmmsg (per MMSG_MAX datagrams); stop at the
 * first failure or short send. */
static void output_transmit(ha_output *o, output_pass *pass) {
  size_t done = 0;
  while (done < pass->ndg) {
    size_t batch = pass->ndg - done < MMSG_MAX ? pass->ndg - done : MMSG_MAX;
    int r = sendmmsg(o->fd, o->msgs + done, (unsigned int)batch, 0);
    pass->syscalls++;
    if (r < 0) {
      output_count_error(o, pass, errno);
      pass->failed = true;
      break;
    }
    done += (size_t)r;
    if ((size_t)r < batch) {
      /* The kernel stopped early (an error after some datagrams, whose errno
       * it drops): retry the rest next tick. */
      ha__add_single_writer_relaxed_u64(&o->c.short_sends, 1);
      pass->errors++;
      pass->failed = true;
      break;
    }
  }
  pass->done = done;
}

/* The encode marked every position it encoded as sent (dead-band reference,
 * keep-alive clock) while its slot was in cache; here, if the kernel did
 * not take every datagram, the tracks of the positions from the first
 * datagram it left on are marked not sent (and their gain): the next due
 * call sends them whatever they did meanwhile. A position skipped among
 * them (dead-band) goes again too: after a failed send, one more message
 * rather than a per-position undo log written on every send. Then the pass
 * goes to the counters and the caller's report. Returns the messages that
 * left. A second walk over every sent position's slot to commit it cost
 * more than the encoding itself at 10,000 tracks. */
static size_t output_commit(ha_output *o, const output_pass *pass, size_t n, const uint32_t *ids,
                            ha_output_report *report) {
  size_t sent_msgs = o->dg_first[pass->done];
  uint64_t bytes = 0;
  for (size_t d = 0; d < pass->done; d++) {
    bytes += o->iov[d].iov_len;
  }
  for (size_t k = pass->done < pass->ndg ? o->dg_call[pass->done] : n; k < n; k++) {
    uint32_t h = o->hint[k];
    slot *s = h != 0 ? &o->slots[h] : NULL;
    if (s != NULL && slot_id(s) == ids[k]) {
      slot_set_sent(s, false);
      s->gain_sent = false;
    }
  }
  ha__add_single_writer_relaxed_u64(&o->c.ticks, 1);
  ha__add_single_writer_relaxed_u64(&o->c.messages, sent_msgs);
  ha__add_single_writer_relaxed_u64(&o->c.datagrams, pass->done);
  ha__add_single_writer_relaxed_u64(&o->c.bytes, bytes);
  ha__add_single_writer_relaxed_u64(&o->c.syscalls, pass->syscalls);
  ha__add_single_writer_relaxed_u64(&o->c.unsent, pass->npend - sent_msgs);
  ha__add_single_writer_relaxed_u64(&o->c.deadband_skips, pass->skips);
  ha__add_single_writer_relaxed_u64(&o->c.keepalive_sends, pass->keepalives);
  ha__add_single_writer_relaxed_u64(&o->c.nonfinite, pass->nonfinite);
  ha__add_single_writer_relaxed_u64(&o->c.unmapped, pass->unmapped);
  ha__add_single_writer_relaxed_u64(&o->c.untracked, pass->untracked);
  if (report != NULL) {
    report->messages = sent_msgs;
    report->datagrams = pass->done;
    report->bytes = bytes;
    report->send_errors = pass->errors;
    report->unsent = pass->npend - sent_msgs;
  }
  return sent_msgs;
}

/* Next deadline: the first start + k / rate after now (missed ones are
 * skipped, not sent in a burst). */
static void output_schedule(ha_output *o, double now) {
  if (!o->started) {
    o->started = true;
    o->start = now;
  }
  double k = floor((now - o->start + o->slack) * o->cfg.rate_hz) + 1.0;
  o->next_due = o->start + k / o->cfg.rate_hz;
}

/* ha_output_send (force false) and ha_output_flush (force true). */
static int output_send_positions(ha_output *o, double now, size_t n, const uint32_t *ids,
                                 const double *x, const double *y, const double *z, bool force,
                                 ha_output_report *report) {
  if (report != NULL) {
    memset(report, 0, sizeof *report);
  }
  if (o == NULL || (n > 0 && (ids == NULL || x == NULL || y == NULL || z == NULL)) ||
      n > o->max_tracks || !isfinite(now)) {
    return HA_EINVAL;
  }
  if (!output_due(o, now, force)) {
    return 0;
  }
  output_pass pass;
  memset(&pass, 0, sizeof pass);
  output_encode(o, now, n, ids, x, y, z, force, &pass);
  output_transmit(o, &pass);
  size_t sent = output_commit(o, &pass, n, ids, report);
  if (!force && !pass.failed) {
    output_schedule(o, now);
  }
  return (int)sent;
}

int ha_output_send(ha_output *o, double now, size_t n, const uint32_t *ids, const double *x,
                   const double *y, const double *z, ha_output_report *report) {
  return output_send_positions(o, now, n, ids, x, y, z, false, report);
}

int ha_output_flush(ha_output *o, double now, size_t n, const uint32_t *ids, const double *x,
                    const double *y, const double *z, ha_output_report *report) {
  return output_send_positions(o, now, n, ids, x, y, z, true, report);
}
