/* holoanim: playing a show on the real-time player.
 *
 * The glue between a loaded show (show.h) and a player (player.h): size and
 * fill the player from the show (tracks, outputs, limits), start groups,
 * fire cues, stop. Motions are created here, on the calling (control)
 * thread, and handed to the player; everything reaches the tick as queued
 * commands, so these functions may be called while the player runs.
 *
 * Animation tags are the show's (show.h): group i answers to tag i, an
 * animation started by a cue action to that action's `tag` field.
 * Thread: control. */
#ifndef HOLOANIM_SHOW_PLAYER_H
#define HOLOANIM_SHOW_PLAYER_H

#include "output.h"
#include "player.h"
#include "show.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The output configuration of a show output (the map points into the show:
 * use it while the show lives; ha_output_create copies it). */
ha_output_config ha_show_output_config(const ha_show_output *o);

/* A player configuration sized for the show (tracks, animations, outputs,
 * limits, and control.sync: following an external clock) starting from
 * `base` (NULL: ha_player_config_default()). */
ha_player_config ha_show_player_config(const ha_show *show, const ha_player_config *base);

/* Add the show's tracks, enabled outputs and mappings to a player that has
 * not started, and its timeline (ha_show_player_timeline). Errors as ha_player_add_track /
 * ha_player_add_output, with the JSON path of the failing output prefixed ("outputs[1].host: ...").
 */
ha_status ha_show_player_setup(const ha_show *show, ha_player *p, ha_error *err);

/* Every show track's mute, solo and lock (tracks[].mute/solo/lock) to the
 * player (ha_player_set_track_flags, one queued command per track):
 * ha_show_player_setup does it; call it again after an edit of the flags.
 * HA_EAGAIN (queue full). Thread: control. */
ha_status ha_show_player_track_flags(const ha_show *show, ha_player *p);

/* Start group `group` now (a fresh motion of its animation). */
ha_status ha_show_player_start_group(const ha_show *show, ha_player *p, size_t group,
                                     ha_error *err);
/* Stop group `group` (fade: seconds back to base; < 0 uses the fadeOut of
 * the group's animation, as a stop action without "fade" does, and as
 * ha_show_stop_group offline). HA_ENOTFOUND (no such group), HA_EAGAIN
 * (the command queue is full). */
ha_status ha_show_player_stop_group(const ha_show *show, ha_player *p, size_t group, double fade);
/* Play the show's timeline (clips and markers) on the player's tick: an
 * instance of the show (motions made here) installed as the player's
 * driver (ha_player_set_driver), replacing the previous one; with no
 * clips and no markers the driver is removed. It plays exactly what
 * ha_show_instance_advance plays offline (the same code), from the
 * transport's time: call it after setup, and again after every edit of
 * the show. Errors as ha_show_animation_motion, HA_EAGAIN (queue full),
 * HA_ENOMEM. */
ha_status ha_show_player_timeline(const ha_show *show, ha_player *p, ha_error *err);
/* Start every autoStart group and run the transport. */
ha_status ha_show_player_play(const ha_show *show, ha_player *p, ha_error *err);
/* Fire cue `index` (see ha_show_cue_find): its operations (ha_show_cue_ops)
 * queued in order, each taking effect on the next tick; a staggered move
 * is a goto with a delay (ha_player_goto), so the player's transport times
 * it. Errors: HA_ENOTFOUND (no such cue: err says "no cue index N"), as
 * ha_show_animation_motion, or the player's (HA_EAGAIN: the queue is full)
 * with err naming the action. */
ha_status ha_show_player_fire_cue(const ha_show *show, ha_player *p, size_t index, ha_error *err);

/* ---- live data mapped to parameters (the show's "mappings") ----
 *
 * ha_show_player_setup adds the show's mappings to the player in order
 * (show mapping i is player mapping i), each starting from the value its
 * parameter has in the show. Inputs reach them from the control thread
 * (ha_show_player_map_osc); the tick smooths them; a control thread makes
 * the edits (ha_show_player_map_update, e.g. with the event polling). */

/* Add the show's mappings to a player that has not started (done by
 * ha_show_player_setup; for a player filled otherwise). Errors as
 * ha_player_add_mapping, prefixed "mappings[i]: ". */
ha_status ha_show_player_add_mappings(const ha_show *show, ha_player *p, ha_error *err);
/* The player configuration of mapping i (ranges, smoothing, the show's
 * value as the initial one). */
ha_mapping_config ha_show_mapping_config(const ha_show *show, size_t i);
/* An OSC message's numeric arguments (NAN for one that is not a number)
 * to every mapping whose address the message's address (an OSC pattern)
 * matches: mapping i takes args[arg]. *taken (may be NULL): inputs taken.
 * HA_OK when one was, HA_ENOTFOUND when no mapping has the address,
 * HA_EINVAL when the argument was missing or not a number (nothing
 * applied). Thread: control (the player's slots are lock-free). */
ha_status ha_show_player_map_osc(const ha_show *show, ha_player *p, const char *address,
                                 const double *args, size_t nargs, size_t *taken);
/* Make the edits of the mapped values that changed since the last call:
 * each group with a change gets its animation with every mapped number at
 * its current value (a new motion, ha_player_update_animation, blended by
 * the player). A group that is not playing is left alone (its next change
 * applies once it plays). Returns the number of groups edited; err holds
 * the last failure (a full queue). Thread: one control thread. */
size_t ha_show_player_map_update(const ha_show *show, ha_player *p, ha_error *err);

#ifdef __cplusplus
}
#endif
#endif
