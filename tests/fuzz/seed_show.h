/* The show the edit and control fuzz targets start from: examples/cue-scene.json
 * without its outputs and control port (nothing on the network), compact. */
#ifndef HA_TESTS_FUZZ_SEED_SHOW_H
#define HA_TESTS_FUZZ_SEED_SHOW_H

static const char ha_fuzz_seed_show[] =
    "{\"format\":1,\"name\":\"Cue-driven scene\",\"metadata\":{\"author\":\"fuzz seed\"},\"trac"
    "ks\":[{\"id\":1,\"name\":\"Soprano\",\"color\":\"#e6194b\",\"position\":[-3,5,1.7]},{\"id"
    "\":2,\"name\":\"Alto\",\"color\":\"#3cb44b\",\"position\":[-1,5,1.7]},{\"id\":3,\"name\":"
    "\"Tenor\",\"color\":\"#4363d8\",\"position\":[1,5,1.7]},{\"id\":4,\"name\":\"Bass\",\"colo"
    "r\":\"#f58231\",\"position\":[3,5,1.7]}],\"animations\":[{\"name\":\"spin\",\"model\":\"ci"
    "rcular\",\"duration\":20,\"loop\":\"loop\",\"fadeOut\":3,\"parameters\":{\"center\":[0,0,2"
    "],\"radius\":1,\"direction\":\"counterclockwise\"}},{\"name\":\"drift\",\"model\":\"perlin"
    "-noise\",\"duration\":30,\"loop\":\"loop\",\"parameters\":{\"center\":[0,0,2],\"scale\":1."
    "5,\"frequency\":0.2,\"seed\":7}}],\"groups\":[{\"name\":\"spin all\",\"animation\":\"spin"
    "\",\"tracks\":[1,2,3,4],\"mode\":\"isobarycentric\",\"rotateFormation\":true},{\"name\":\""
    "drift low\",\"animation\":\"drift\",\"tracks\":[3,4],\"mode\":\"relative\",\"phaseOffset\""
    ":5}],\"presets\":[{\"name\":\"stage\",\"positions\":{\"1\":[-3,5,1.7],\"2\":[-1,5,1.7],\"3"
    "\":[1,5,1.7],\"4\":[3,5,1.7]}},{\"name\":\"surround\",\"positions\":{\"1\":[-5,5,2],\"2\":"
    "[5,5,2],\"3\":[5,-5,2],\"4\":[-5,-5,2]}},{\"name\":\"behind\",\"positions\":{\"1\":[-2,-6,"
    "2.5],\"2\":[2,-6,2.5]}}],\"cues\":[{\"number\":1,\"name\":\"Stage\",\"osc\":\"/scene/1\","
    "\"actions\":[{\"type\":\"preset\",\"preset\":\"stage\",\"transition\":2,\"easing\":\"sine-"
    "in-out\"}]},{\"number\":2,\"name\":\"Surround the audience\",\"osc\":\"/scene/2\",\"action"
    "s\":[{\"type\":\"preset\",\"preset\":\"surround\",\"transition\":4,\"easing\":\"cubic-in-o"
    "ut\",\"space\":\"aed\",\"stagger\":0.5}]},{\"number\":3,\"name\":\"Spin\",\"osc\":\"/scene"
    "/3\",\"actions\":[{\"type\":\"start\",\"group\":\"spin all\"}]},{\"number\":4,\"name\":\"L"
    "ow voices drift, high voices behind\",\"osc\":\"/scene/4\",\"actions\":[{\"type\":\"start"
    "\",\"group\":\"drift low\"},{\"type\":\"preset\",\"preset\":\"behind\",\"transition\":3,\""
    "space\":\"aed\",\"stagger\":1}]},{\"number\":5,\"name\":\"Soloist front\",\"osc\":\"/scene"
    "/5\",\"actions\":[{\"type\":\"goto\",\"track\":1,\"position\":[0,6,2],\"transition\":2,\"e"
    "asing\":\"quad-out\"}]},{\"number\":6,\"name\":\"Home\",\"osc\":\"/scene/6\",\"actions\":["
    "{\"type\":\"stop\"},{\"type\":\"preset\",\"preset\":\"stage\",\"transition\":3}]}],\"limit"
    "s\":{\"box\":{\"min\":[-12,-12,0],\"max\":[12,12,8]},\"maxSpeed\":10}}";

#endif
