/*
 * test_st_judge: the route comparison the judges rely on -- normalisation (case, trailing
 * dots, address order, exchangers of equal preference in any order) and the preference-order
 * check. Hermetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "st_judge.h"

static void normalize_sorts_and_lowers(void **state)
{
    (void)state;
    char out[1024];
    assert_int_equal(st_route_normalize("20 B.X.TEST. 127.0.0.2,127.0.0.1; 10 a.x.test 127.0.0.3",
                                        out, sizeof out),
                     0);
    assert_string_equal(out, "10 a.x.test 127.0.0.3; 20 b.x.test 127.0.0.1,127.0.0.2");
    char again[1024];
    assert_int_equal(st_route_normalize(out, again, sizeof again), 0);
    assert_string_equal(again, out);
    /* equal preference: by name */
    assert_int_equal(st_route_normalize("10 z.t 1.1.1.1; 10 y.t 2.2.2.2", out, sizeof out), 0);
    assert_string_equal(out, "10 y.t 2.2.2.2; 10 z.t 1.1.1.1");
    /* an exchanger without addresses stays */
    assert_int_equal(st_route_normalize("0 host.t", out, sizeof out), 0);
    assert_string_equal(out, "0 host.t");
}

static void normalize_rejects_garbage(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(st_route_normalize("mx.example.test 127.0.0.1", out, sizeof out), -1);
    assert_int_equal(st_route_normalize("70000 a.t 1.2.3.4", out, sizeof out), -1);
    /* an address alone (what an MTA target shows) is not a route text */
    assert_int_equal(st_route_normalize("127.0.0.10", out, sizeof out), -1);
    assert_int_equal(st_route_normalize("10 .x 127.0.0.1", out, sizeof out), -1);
    assert_int_equal(st_route_ordered("x y"), -1);
}

static void ordered(void **state)
{
    (void)state;
    assert_int_equal(st_route_ordered("10 a.t 1.1.1.1; 20 b.t 2.2.2.2; 20 c.t 3.3.3.3"), 1);
    assert_int_equal(st_route_ordered("20 b.t 2.2.2.2; 10 a.t 1.1.1.1"), 0);
    assert_int_equal(st_route_ordered("5 y.t 1.1.1.1"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalize_sorts_and_lowers),
        cmocka_unit_test(normalize_rejects_garbage),
        cmocka_unit_test(ordered),
    };
    return cmocka_run_group_tests_name("st_judge", tests, NULL, NULL);
}
