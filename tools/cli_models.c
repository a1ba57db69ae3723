/* holoanim models [--json]: the model registry, for people and programs. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static json_t *default_json(const ha_param_info *p) {
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

static json_t *param_json(const ha_param_info *p) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(p->name));
  json_t *al = json_array();
  const char *s = p->aliases;
  while (s != NULL && *s != '\0') {
    const char *e = strchr(s, ',');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    json_array_append_new(al, json_stringn(s, n));
    s = e ? e + 1 : s + n;
  }
  json_object_set_new(o, "aliases", al);
  json_object_set_new(o, "type", json_string(ha_param_type_name(p->type)));
  json_object_set_new(o, "unit", json_string(p->unit ? p->unit : ""));
  json_object_set_new(o, "default", default_json(p));
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

static void print_default(const ha_param_info *p) {
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

static void print_param(const ha_param_info *p) {
  printf("    %-22s %-9s ", p->name, ha_param_type_name(p->type));
  print_default(p);
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

int cmd_models(int argc, char **argv) {
  int as_json = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      as_json = 1;
    } else {
      return cli_usage_error("models: unknown option '%s'", argv[i]);
    }
  }
  size_t ncommon = 0;
  const ha_param_info *common = ha_common_params(&ncommon);
  if (as_json) {
    json_t *root = json_object();
    json_t *models = json_array();
    for (size_t i = 0; i < ha_model_count(); i++) {
      const ha_model_info *m = ha_model_at(i);
      json_t *o = json_object();
      json_object_set_new(o, "name", json_string(m->name));
      json_t *al = json_array();
      const char *s = m->aliases;
      while (s != NULL && *s != '\0') {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        json_array_append_new(al, json_stringn(s, n));
        s = e ? e + 1 : s + n;
      }
      json_object_set_new(o, "aliases", al);
      json_object_set_new(o, "description", json_string(m->description));
      json_object_set_new(o, "time",
                          json_string(m->flags & HA_MODEL_ABS_TIME ? "absolute" : "progress"));
      json_object_set_new(o, "stateful", json_boolean(m->flags & HA_MODEL_STATEFUL));
      json_object_set_new(o, "rotating", json_boolean(m->flags & HA_MODEL_ROTATING));
      json_t *ps = json_array();
      for (size_t j = 0; j < m->param_count; j++) {
        json_array_append_new(ps, param_json(&m->params[j]));
      }
      json_object_set_new(o, "parameters", ps);
      json_array_append_new(models, o);
    }
    json_object_set_new(root, "models", models);
    json_t *cp = json_array();
    for (size_t j = 0; j < ncommon; j++) {
      json_array_append_new(cp, param_json(&common[j]));
    }
    json_object_set_new(root, "commonParameters", cp);
    json_t *timing =
        json_pack("{s:{s:f,s:f,s:f,s:s},s:{s:[s,s,s],s:s},s:{s:f,s:f,s:f,s:s}}", "duration",
                  "default", 10.0, "min", HA_DURATION_MIN, "max", HA_DURATION_MAX, "unit", "s",
                  "loop", "choices", "once", "loop", "pingpong", "default", "loop", "speed",
                  "default", 1.0, "min", HA_SPEED_MIN, "max", HA_SPEED_MAX, "unit", "x");
    json_object_set_new(root, "timing", timing);
    json_t *eas = json_array();
    for (int i = 0; i < (int)HA_EASE_COUNT; i++) {
      json_array_append_new(eas, json_string(ha_easing_name((ha_easing)i)));
    }
    json_object_set_new(root, "easings", eas);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (text == NULL) {
      return cli_usage_error("out of memory");
    }
    puts(text);
    free(text);
    return CLI_OK;
  }
  printf("%zu models (parameter type default [range] unit)\n", ha_model_count());
  for (size_t i = 0; i < ha_model_count(); i++) {
    const ha_model_info *m = ha_model_at(i);
    printf("\n%s%s%s%s — %s\n", m->name, m->aliases ? " (also: " : "", m->aliases ? m->aliases : "",
           m->aliases ? ")" : "", m->description);
    for (size_t j = 0; j < m->param_count; j++) {
      print_param(&m->params[j]);
    }
  }
  printf("\nevery model also takes:\n");
  for (size_t j = 0; j < ncommon; j++) {
    print_param(&common[j]);
  }
  printf(
      "\ntiming (every model): --duration S (default 10), --loop once|loop|pingpong "
      "(default loop), --speed X (default 1)\n");
  return CLI_OK;
}
