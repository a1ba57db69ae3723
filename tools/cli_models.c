/* holoanim models [--json]: the model registry, for people and programs. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "a,b,c" (or NULL) as ["a","b","c"]. */
static json_t *models_aliases_json(const char *list) {
  json_t *al = json_array();
  const char *s = list;
  while (s != NULL && *s != '\0') {
    const char *e = strchr(s, ',');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    json_array_append_new(al, json_stringn(s, n));
    s = e ? e + 1 : s + n;
  }
  return al;
}

static json_t *models_param_default_json(const ha_param_info *p) {
  char buf[64];
  switch (p->type) {
  case HA_PARAM_NUMBER:
  case HA_PARAM_INTEGER:
  case HA_PARAM_BOOL:
    return p->type == HA_PARAM_BOOL
               ? json_boolean(p->def[0] > 0.5)
               : (p->type == HA_PARAM_INTEGER ? json_integer((json_int_t)p->def[0])
                                              : json_real(p->def[0]));
  case HA_PARAM_VEC3:
  case HA_PARAM_SCALE: return json_pack("[f,f,f]", p->def[0], p->def[1], p->def[2]);
  case HA_PARAM_CHOICE:
    if (ha_param_choice_at(p, (size_t)p->def[0], buf, sizeof(buf)) == HA_OK) {
      return json_string(buf);
    }
    return json_null();
  case HA_PARAM_EASING: return json_string(ha_easing_name((ha_easing)(int)p->def[0]));
  case HA_PARAM_ROTATION: return json_pack("[f,f,f]", 0.0, 0.0, 0.0);
  case HA_PARAM_POINTS:
  case HA_PARAM_KEYFRAMES: return json_null();
  }
  return json_null();
}

static json_t *models_param_json(const ha_param_info *p) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(p->name));
  json_object_set_new(o, "aliases", models_aliases_json(p->aliases));
  json_object_set_new(o, "type", json_string(ha_param_type_name(p->type)));
  json_object_set_new(o, "unit", json_string(p->unit ? p->unit : ""));
  json_object_set_new(o, "default", models_param_default_json(p));
  if (p->type == HA_PARAM_NUMBER || p->type == HA_PARAM_INTEGER || p->type == HA_PARAM_VEC3 ||
      p->type == HA_PARAM_ROTATION || p->type == HA_PARAM_SCALE) {
    json_object_set_new(o, "min", json_real(p->min));
    json_object_set_new(o, "max", json_real(p->max));
  } else if (p->type == HA_PARAM_POINTS || p->type == HA_PARAM_KEYFRAMES) {
    json_object_set_new(o, "minCount", json_integer((json_int_t)p->min));
    json_object_set_new(o, "maxCount", json_integer((json_int_t)p->max));
  }
  if (p->type == HA_PARAM_CHOICE) {
    json_t *c = json_array();
    char buf[64];
    for (size_t i = 0; ha_param_choice_at(p, i, buf, sizeof(buf)) == HA_OK; i++) {
      json_array_append_new(c, json_string(buf));
    }
    json_object_set_new(o, "choices", c);
  }
  if (p->type == HA_PARAM_EASING) {
    json_t *c = json_array();
    for (int i = 0; i < (int)HA_EASE_COUNT; i++) {
      json_array_append_new(c, json_string(ha_easing_name((ha_easing)i)));
    }
    json_object_set_new(o, "choices", c);
  }
  json_object_set_new(o, "description", json_string(p->description ? p->description : ""));
  return o;
}

static void models_print_default(const ha_param_info *p) {
  char buf[64];
  switch (p->type) {
  case HA_PARAM_NUMBER:
  case HA_PARAM_INTEGER: printf("%g", p->def[0]); break;
  case HA_PARAM_BOOL: printf("%s", p->def[0] > 0.5 ? "true" : "false"); break;
  case HA_PARAM_VEC3:
  case HA_PARAM_SCALE: printf("%g,%g,%g", p->def[0], p->def[1], p->def[2]); break;
  case HA_PARAM_CHOICE:
    if (ha_param_choice_at(p, (size_t)p->def[0], buf, sizeof(buf)) == HA_OK) {
      printf("%s", buf);
    }
    break;
  case HA_PARAM_EASING: printf("%s", ha_easing_name((ha_easing)(int)p->def[0])); break;
  case HA_PARAM_ROTATION: printf("0,0,0"); break;
  case HA_PARAM_POINTS:
  case HA_PARAM_KEYFRAMES: printf("(built-in)"); break;
  }
}

static void models_print_param(const ha_param_info *p) {
  printf("    %-22s %-9s ", p->name, ha_param_type_name(p->type));
  models_print_default(p);
  if (p->type == HA_PARAM_NUMBER || p->type == HA_PARAM_INTEGER || p->type == HA_PARAM_VEC3) {
    printf("  [%g, %g]", p->min, p->max);
  } else if (p->type == HA_PARAM_CHOICE) {
    printf("  (%s)", p->choices);
  }
  if (p->unit && p->unit[0]) {
    printf(" %s", p->unit);
  }
  printf("\n        %s%s%s%s\n", p->description, p->aliases ? " (also: " : "",
         p->aliases ? p->aliases : "", p->aliases ? ")" : "");
}

static json_t *models_model_json(const ha_model_info *m) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(m->name));
  json_object_set_new(o, "aliases", models_aliases_json(m->aliases));
  json_object_set_new(o, "description", json_string(m->description));
  json_object_set_new(o, "time",
                      json_string(m->flags & HA_MODEL_ABS_TIME ? "absolute" : "progress"));
  json_object_set_new(o, "stateful", json_boolean(m->flags & HA_MODEL_STATEFUL));
  json_object_set_new(o, "rotating", json_boolean(m->flags & HA_MODEL_ROTATING));
  json_t *ps = json_array();
  for (size_t j = 0; j < m->param_count; j++) {
    json_array_append_new(ps, models_param_json(&m->params[j]));
  }
  json_object_set_new(o, "parameters", ps);
  return o;
}

static int models_print_json(void) {
  json_t *root = json_object();
  json_t *models = json_array();
  for (size_t i = 0; i < ha_model_count(); i++) {
    json_array_append_new(models, models_model_json(ha_model_at(i)));
  }
  json_object_set_new(root, "models", models);
  size_t ncommon = 0;
  const ha_param_info *common = ha_common_params(&ncommon);
  json_t *cp = json_array();
  for (size_t j = 0; j < ncommon; j++) {
    json_array_append_new(cp, models_param_json(&common[j]));
  }
  json_object_set_new(root, "commonParameters", cp);
  json_t *timing =
      json_pack("{s:{s:f,s:f,s:f,s:s},s:{s:[s,s,s],s:s},s:{s:f,s:f,s:f,s:s},s:{s:[s,s],s:s}}",
                "duration", "default", 10.0, "min", HA_DURATION_MIN, "max", HA_DURATION_MAX, "unit",
                "s", "loop", "choices", "once", "loop", "pingpong", "default", "loop", "speed",
                "default", 1.0, "min", HA_SPEED_MIN, "max", HA_SPEED_MAX, "unit", "x", "seam",
                "choices", "blend", "cut", "default", "blend");
  json_object_set_new(root, "timing", timing);
  json_t *eas = json_array();
  for (int i = 0; i < (int)HA_EASE_COUNT; i++) {
    json_array_append_new(eas, json_string(ha_easing_name((ha_easing)i)));
  }
  json_object_set_new(root, "easings", eas);
  char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
  json_decref(root);
  if (text == NULL) {
    return cli_fail("out of memory");
  }
  puts(text);
  free(text);
  return CLI_OK;
}

static void models_print_text(void) {
  printf("%zu models (parameter type default [range] unit)\n", ha_model_count());
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *m = ha_model_at(i);
    printf("\n%s%s%s%s — %s\n", m->name, m->aliases ? " (also: " : "", m->aliases ? m->aliases : "",
           m->aliases ? ")" : "", m->description);
    for (size_t j = 0; j < m->param_count; j++) {
      models_print_param(&m->params[j]);
    }
  }
  size_t ncommon = 0;
  const ha_param_info *common = ha_common_params(&ncommon);
  printf("\nevery model also takes:\n");
  for (size_t j = 0; j < ncommon; j++) {
    models_print_param(&common[j]);
  }
  printf(
      "\ntiming (every model): --duration S (default 10), --loop once|loop|pingpong "
      "(default loop), --speed X (default 1)\n");
}

int cmd_models(int argc, char **argv) {
  static const cli_command models_command = {
      "models",
      "models [--json]",
      "Every model with its parameters: type, default, range, unit and description.",
      NULL,
      0,
      NULL};
  int as_json = 0;
  cli_opt opts[] = {{CLI_FLAG(
      "json", "the same registry as JSON, for programs (the web UI reads it)", &as_json)}};
  int rc = cli_parse(&models_command, opts, 1, argc, argv, NULL, NULL);
  if (rc != CLI_CONTINUE) {
    return rc;
  }
  if (as_json) {
    return models_print_json();
  }
  models_print_text();
  return CLI_OK;
}
