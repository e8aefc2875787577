/*
 * hn_paths: where the mxttl command finds its data -- the scenario library and the MTA target
 * descriptions -- with no environment variable and from any working directory.
 *
 * Order: the installed copy beside the running program (<bin>/../share/mxttl/<kind>: the .deb in
 * /usr, `cmake --install --prefix ANY`), then the source tree the program was built from (so
 * build/<preset>/bin/mxttl uses its own tree, never an older installed copy), then the
 * configured install prefix (a program copied elsewhere after `cmake --install`).
 */
#ifndef HN_PATHS_H
#define HN_PATHS_H

enum hn_path_kind { HN_PATH_SCENARIOS, HN_PATH_TARGETS };

/* The first existing directory of the order above for kind; if none exists, the configured
 * install path all the same (so an error message names where the data was expected). Returns a static
 * string, valid until the next call with the same kind; never NULL. Not thread-safe. */
const char *hn_path_data(enum hn_path_kind kind);

#endif
