/*
 * test_hn_report_buf: the escapers every writer relies on, UTF-8 validation, number formatting,
 * shortening, clause order and the atomic file write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include "hn_report_buf.h"
#include "hn_report_test.h"

typedef void (*escaper)(struct hn_report_buf *, const char *);

static void expect_escape(escaper fn, const char *in, const char *want)
{
    struct hn_report_buf b = {0};
    fn(&b, in);
    const char *got = b.data ? b.data : "";
    if (strcmp(got, want) != 0)
        fail_msg("escape of \"%s\": got \"%s\", want \"%s\"", in, got, want);
    hn_report_buf_release(&b);
}

static void xml_text(struct hn_report_buf *b, const char *s) { hn_report_buf_xml(b, s, 0); }
static void xml_attr(struct hn_report_buf *b, const char *s) { hn_report_buf_xml(b, s, 1); }

static void test_escapes(void **state)
{
    (void)state;
    expect_escape(xml_text, "<a href='x'>&\"</a>\n", "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;\n");
    expect_escape(xml_attr, "a\nb\tc\rd", "a&#10;b&#9;c&#13;d");
    expect_escape(xml_text, "esc\x1b bell\a", "esc\xef\xbf\xbd bell\xef\xbf\xbd");
    expect_escape(hn_report_buf_md, "a|b*c_<x>&\nz", "a\\|b\\*c\\_&lt;x&gt;&amp;<br>z");
    expect_escape(hn_report_buf_md, "[l](u) `t` # ~~s~~ a-b.", "\\[l\\](u) \\`t\\` # \\~\\~s\\~\\~ a-b.");
    expect_escape(hn_report_buf_text, "keep\nnl\tand <tags>\x01", "keep\nnl\tand <tags>\xef\xbf\xbd");
    expect_escape(hn_report_buf_line, "one\ntwo\rthree", "one two three");
    expect_escape(hn_report_buf_md, NULL, "");
}

static void test_utf8_len(void **state)
{
    (void)state;
    assert_int_equal(hn_report_utf8_len((const unsigned char *)"a", 1), 1);
    assert_int_equal(hn_report_utf8_len((const unsigned char *)"\xc3\xa9", 2), 2);
    assert_int_equal(hn_report_utf8_len((const unsigned char *)"\xf0\x9f\x93\xa7", 4), 4);
    assert_int_equal(hn_report_utf8_len((const unsigned char *)"\xc0\x80", 2), 0); /* overlong */
    assert_int_equal(hn_report_utf8_len((const unsigned char *)"\xe0\x80\x80", 3), 0);
    assert_int_equal(hn_report_utf8_len((const unsigned char *)"\xed\xa0\x80", 3), 0);
    assert_int_equal(hn_report_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
    assert_int_equal(hn_report_utf8_len((const unsigned char *)"\xe2\x86", 2), 0); /* short */
}

static void test_shorten(void **state)
{
    (void)state;
    char out[64];
    hn_report_shorten("short", 20, out, sizeof(out));
    assert_string_equal(out, "short");
    hn_report_shorten("the first lookup at or after", 15, out, sizeof(out));
    assert_string_equal(out, "the first...");
    /* Never cuts inside a UTF-8 sequence. */
    hn_report_shorten("\xc3\xa9\xc3\xa9\xc3\xa9", 3, out, sizeof(out));
    assert_string_equal(out, "\xc3\xa9...");
    hn_report_shorten("a\nb", 10, out, sizeof(out));
    assert_string_equal(out, "a b");
    hn_report_shorten("abcdefghij", 100, out, 4);
    assert_int_equal(strlen(out), 3);
}

static void test_clause_order(void **state)
{
    (void)state;
    assert_true(hn_report_clause_cmp("LEG-7", "TTL-1") < 0);
    assert_true(hn_report_clause_cmp("TTL-2", "TTL-10") < 0);
    assert_true(hn_report_clause_cmp("TTL-11", "COM-1") < 0);
    assert_true(hn_report_clause_cmp("COM-9", "ABC-1") < 0);
    assert_true(hn_report_clause_cmp("ABC-1", "ABD-1") < 0);
    assert_int_equal(hn_report_clause_cmp("COM-3", "COM-3"), 0);
    assert_true(hn_report_clause_cmp("", "LEG-1") > 0);
}

static void test_write_file_atomic(void **state)
{
    (void)state;
    char *dir = hn_test_tmpdir();
    char path[4096], why[512];
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    assert_int_equal(hn_report_write_file(path, "one", 3, why, sizeof(why)), 0);
    assert_int_equal(hn_report_write_file(path, "second", 6, why, sizeof(why)), 0);
    char *got = hn_test_slurp(path, NULL);
    assert_string_equal(got, "second");
    free(got);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0644);
    /* No temporary file is left behind. */
    DIR *d = opendir(dir);
    assert_non_null(d);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            entries++;
    closedir(d);
    assert_int_equal(entries, 1);
    snprintf(path, sizeof(path), "%s/no/such/dir/out.txt", dir);
    assert_int_equal(hn_report_write_file(path, "x", 1, why, sizeof(why)), -1);
    if (strstr(why, path) == NULL)
        fail_msg("why: got \"%s\", want it to name %s", why, path);
    hn_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_utf8_len),
        cmocka_unit_test(test_shorten),
        cmocka_unit_test(test_clause_order),
        cmocka_unit_test(test_write_file_atomic),
    };
    return cmocka_run_group_tests_name("hn_report_buf", tests, NULL, NULL);
}
