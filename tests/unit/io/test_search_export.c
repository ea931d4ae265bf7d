/*
 * test_search_export.c -- reading PubMed (MEDLINE) and RIS exports.
 *
 * Fixtures: tests/fixtures/exports (see its README): small files written by
 * hand in the published formats, with fictional records: continuation
 * lines, missing fields, CRLF and a byte-order mark, UTF-8 names, and the
 * same records in two files.  The expected values are read off the fixture
 * files by eye.
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "evs_test.h"
#include "review/screening.h"
#include "io/search_export.h"

static evs_screening_log *read_ok(const char *name, evs_export_format want)
{
    evs_screening_log *log = evs_screening_log_alloc();
    assert_non_null(log);
    evs_problems p;
    evs_problems_init(&p);
    evs_export_format f;
    evs_status st = evs_export_read_file(evs_fixture_path(name), log, &p, &f);
    if (st != EVS_OK) {
        char buf[2048];
        for (size_t i = 0; i < p.n; i++)
            print_error("%s\n", evs_error_format(&p.items[i], buf, sizeof buf));
        fail();
    }
    assert_int_equal(f, want);
    evs_problems_free(&p);
    return log;
}

/* The problems of reading a buffer, as "FILE:LINE: message", one per line. */
#define EXPECT(literal, want) expect_buffer((literal), sizeof(literal) - 1, (want))
static void expect_buffer(const char *data, size_t len, const char *want)
{
    evs_screening_log *log = evs_screening_log_alloc();
    evs_problems p;
    evs_problems_init(&p);
    evs_export_read_buffer(data, len, "x.txt", log, &p, NULL);
    char got[4096] = "", buf[1024];
    for (size_t i = 0; i < p.n; i++) {
        evs_error_format(&p.items[i], buf, sizeof buf);
        strncat(got, buf, sizeof got - strlen(got) - 2);
        strcat(got, "\n");
    }
    assert_string_equal(got, want);
    if (want[0] != '\0')
        assert_int_equal(log->n, 0); /* nothing is kept from a file with problems */
    evs_problems_free(&p);
    evs_screening_log_free(log);
}

static void test_medline(void **state)
{
    (void)state;
    evs_screening_log *log = read_ok("exports/pubmed_sample.nbib", EVS_EXPORT_MEDLINE);
    assert_int_equal(log->n, 4);
    const evs_record *r = &log->records[0];
    assert_string_equal(r->source, "PubMed");
    assert_int_equal(r->source_type, EVS_SOURCE_DATABASE);
    assert_string_equal(r->pmid, "99000001");
    /* TI continued on a line indented by six spaces: joined with one space. */
    assert_string_equal(r->title, "Fictional augmentation for painful fictional fractures: a "
                                  "prospective, multicentre series of 40 patients.");
    assert_string_equal(r->first_author, "Alpha A"); /* AU, not FAU */
    assert_int_equal(r->year, 2019);                 /* DP 2019 Mar 15 */
    assert_string_equal(r->journal, "Fictional spine journal"); /* JT before TA */
    assert_string_equal(r->pub_type, "Journal Article; Multicenter Study");
    assert_string_equal(r->doi, "10.5555/FICT.2019.0001"); /* AID [doi], before LID */
    assert_string_equal(r->imported_from, "pubmed_sample.nbib:1");
    assert_int_equal(r->line, 1);
    assert_string_equal(r->abstract,
                        "BACKGROUND: Fictional augmentation is offered for fictional fractures. "
                        "METHODS: Forty consecutive patients were treated and followed for 12 "
                        "months. RESULTS: Mean pain fell from 8.1 to 3.2 points (0-10 scale). "
                        "CONCLUSION: A controlled trial is needed.");

    r = &log->records[1]; /* no abstract, no DOI (LID is a pii), UTF-8 authors */
    assert_string_equal(r->pmid, "99000002");
    assert_string_equal(r->title,
                        "[Percutaneous fictional cementoplasty of the sacrum: results in 25 "
                        "patients].");
    assert_string_equal(r->first_author, "Müller K");
    assert_string_equal(r->abstract, "");
    assert_string_equal(r->doi, "");
    assert_int_equal(r->year, 2020);
    assert_int_equal(r->line, 37); /* CRLF counted as one line end */

    r = &log->records[2]; /* a collective author, a season for the date */
    assert_string_equal(r->first_author, "Fictional Radiology Society");
    assert_int_equal(r->year, 2021);
    assert_string_equal(r->journal, "Fict Radiol");

    r = &log->records[3]; /* no DP, no DOI */
    assert_int_equal(r->year, 0);
    assert_string_equal(r->doi, "");
    assert_string_equal(r->first_author, "Gamma G");
    assert_string_equal(r->pub_type, "Case Reports");
    evs_screening_log_free(log);
}

static void test_ris(void **state)
{
    (void)state;
    evs_screening_log *log = read_ok("exports/embase_sample.ris", EVS_EXPORT_RIS);
    assert_int_equal(log->n, 4);
    const evs_record *r = &log->records[0];
    assert_string_equal(r->source, "Embase"); /* DB */
    assert_string_equal(r->pmid, "");         /* an Embase accession number is not a PMID */
    assert_string_equal(r->title, "Fictional augmentation for painful fictional fractures: A "
                                  "prospective, multicentre series of 40 patients"); /* T1 */
    assert_string_equal(r->doi, "10.5555/FICT.2019.0001"); /* resolver prefix removed */
    assert_int_equal(r->year, 2019);                       /* Y1 2019// */
    assert_string_equal(r->first_author, "Alpha, A.");
    assert_string_equal(r->journal, "Fictional Spine Journal");
    assert_string_equal(r->pub_type, "Article"); /* M3 */
    assert_string_equal(r->abstract,
                        "BACKGROUND: Fictional augmentation is offered for fictional fractures.");

    r = &log->records[2]; /* an abstract wrapped onto lines without a tag */
    assert_string_equal(r->abstract,
                        "BACKGROUND: No randomised trial has compared fictional augmentation "
                        "with conservative care. METHODS: 150 patients were randomised 2:1. "
                        "RESULTS: Pain fell by 5.0 points after augmentation and by 2.0 points "
                        "with conservative care.");
    assert_int_equal(r->year, 2022);
    assert_int_equal(r->line, 27);

    r = &log->records[3]; /* a conference abstract: no author, no year */
    assert_string_equal(r->first_author, "");
    assert_int_equal(r->year, 0);
    assert_string_equal(r->pub_type, "Conference Abstract");
    assert_string_equal(r->journal, "Annual Meeting of the Fictional Society"); /* T2 */
    evs_screening_log_free(log);

    /* A PubMed record exported as RIS: AN is the PMID when DB names PubMed. */
    log = read_ok("exports/pubmed_citation_manager.ris", EVS_EXPORT_RIS);
    assert_int_equal(log->n, 1);
    assert_string_equal(log->records[0].pmid, "99000003");
    assert_string_equal(log->records[0].source, "PubMed");
    assert_string_equal(log->records[0].pub_type, "Journal Article"); /* TY JOUR */
    evs_screening_log_free(log);
}

static void test_line_ends(void **state)
{
    (void)state;
    /* Old Mac line ends (CR only), a RIS tag with one space, a URL giving the PMID and DOI. */
    static const char ris[] = "TY - JOUR\rTI - One\rUR  - https://pubmed.ncbi.nlm.nih.gov/"
                              "123456/\rUR  - https://doi.org/10.5555/X.1\rDB  - Scopus\rER  - \r";
    evs_screening_log *log = evs_screening_log_alloc();
    evs_problems p;
    evs_problems_init(&p);
    assert_int_equal(evs_export_read_buffer(ris, sizeof ris - 1, "a.ris", log, &p, NULL),
                     EVS_OK);
    assert_int_equal(log->n, 1);
    assert_string_equal(log->records[0].title, "One");
    assert_string_equal(log->records[0].pmid, "123456");
    assert_string_equal(log->records[0].doi, "10.5555/X.1");
    assert_string_equal(log->records[0].source, "Scopus");
    /* Two MEDLINE files joined without a blank line: the second PMID starts a record. */
    static const char nbib[] = "PMID- 1\nTI  - First.\nPMID- 2\nTI  - Second.\n";
    assert_int_equal(evs_export_read_buffer(nbib, sizeof nbib - 1, "b.nbib", log, &p, NULL),
                     EVS_OK);
    assert_int_equal(log->n, 3);
    assert_string_equal(log->records[1].title, "First.");
    assert_string_equal(log->records[2].title, "Second.");
    assert_int_equal(log->records[2].line, 3);
    assert_int_equal(p.n, 0);
    evs_problems_free(&p);
    evs_screening_log_free(log);
}

static void test_broken(void **state)
{
    (void)state;
    static const struct {
        const char *file, *want;
    } cases[] = {
        {"exports/broken_no_end.ris",
         "broken_no_end.ris:1: the record that starts here has no end (\"ER  - \") before the "
         "next record on line 5"},
        {"exports/broken_no_title.nbib",
         "broken_no_title.nbib:1: the record of PMID 99000010 has no title (TI); a record needs "
         "a title to be screened"},
        {"exports/broken_latin1.ris",
         "broken_latin1.ris:3: not valid UTF-8 (byte 0xE9); export the file as UTF-8"},
        {"exports/broken_not_export.txt",
         "broken_not_export.txt:1: not a PubMed (MEDLINE) or RIS export: its first line should "
         "start with \"PMID- \" or \"TY  - \""},
        {"exports/broken_outside.ris",
         "broken_outside.ris:1: AU outside a record: a RIS record starts with \"TY  - \""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evs_screening_log *log = evs_screening_log_alloc();
        evs_problems p;
        evs_problems_init(&p);
        assert_int_equal(evs_export_read_file(evs_fixture_path(cases[i].file), log, &p, NULL),
                         EVS_EDATA);
        assert_int_equal(p.n, 1);
        char buf[2048];
        evs_error_format(&p.items[0], buf, sizeof buf);
        const char *base = strrchr(buf, '/');
        assert_string_equal(base ? base + 1 : buf, cases[i].want);
        assert_int_equal(log->n, 0);
        evs_problems_free(&p);
        evs_screening_log_free(log);
    }
    EXPECT("", "x.txt:1: the file is empty: no records\n");
    EXPECT("\xff\xfeT\0Y\0", "x.txt:1: the file is UTF-16; export it (or save it) as "
                                       "UTF-8\n");
    EXPECT("PMID- 1\nTI  - A\0B\n", "x.txt:2: the file contains a NUL byte (is it a "
                                               "binary or UTF-16 file?)\n");
    EXPECT("PMID- 1\nTI  - A\nthis is not a tag\n",
                  "x.txt:3: not a MEDLINE line: expected \"TAG - value\" (a tag of up to four "
                  "capitals, padded to four characters) or a continuation indented by six "
                  "spaces\n");
    EXPECT("TY  - JOUR\nTI  - A\n", "x.txt:1: the record that starts here has no end "
                                               "(\"ER  - \") before the end of the file\n");
    /* Every problem of a file is listed, and a good record next to a bad one is not kept. */
    EXPECT("TY  - JOUR\nAU  - A\nER  - \nTY  - JOUR\nTI  - Good\nER  - \nJUNK\n",
                  "x.txt:1: the record that starts here has no title (TI or T1); a record needs "
                  "a title to be screened\nx.txt:7: not a RIS line: expected \"XX  - value\" (a "
                  "two-character tag, two spaces, a hyphen) outside a record\n");
}

static void test_keys(void **state)
{
    (void)state;
    char k[256];
    static const struct {
        const char *in, *want;
    } dois[] = {
        {"10.1097/BRS.0b013e318074d4c7", "10.1097/brs.0b013e318074d4c7"},
        {"https://doi.org/10.1097/BRS.0B013E318074D4C7.", "10.1097/brs.0b013e318074d4c7"},
        {"http://dx.doi.org/10.1000/x", "10.1000/x"},
        {"doi: 10.1000/x;", "10.1000/x"},
        {"DOI:10.1000/X", "10.1000/x"},
        {"S0000-0000(19)00001-X", ""},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof dois / sizeof dois[0]; i++) {
        size_t n = evs_key_doi(dois[i].in, k, sizeof k);
        assert_string_equal(k, dois[i].want);
        assert_int_equal(n, strlen(dois[i].want));
    }
    assert_int_equal(evs_doi_bare("https://doi.org/10.1000/ABC.", k, sizeof k), 11);
    assert_string_equal(k, "10.1000/ABC");

    static const struct {
        const char *in, *want;
    } pmids[] = {{"17621211", "17621211"}, {" 00123 ", "123"}, {"12a", ""}, {"0", ""}, {"", ""}};
    for (size_t i = 0; i < sizeof pmids / sizeof pmids[0]; i++) {
        evs_key_pmid(pmids[i].in, k, sizeof k);
        assert_string_equal(k, pmids[i].want);
    }

    static const struct {
        const char *in, *want;
    } titles[] = {
        {"Percutaneous sacroplasty: long-axis injection technique.",
         "percutaneoussacroplastylongaxisinjectiontechnique"},
        {"[Percutaneous cementoplasty of the sacrum].", "percutaneouscementoplastyofthesacrum"},
        {"Müller–Größe “quoted” Æther", "mullergrossequotedaether"},
        {"<i>In vivo</i> results of x<sup>2</sup>", "invivoresultsofx2"},
        {"Ωmega", "Ωmega"}, /* other scripts are kept as they are */
        {"a < b > c", "abc"},
    };
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        evs_key_text(titles[i].in, k, sizeof k);
        assert_string_equal(k, titles[i].want);
    }

    static const struct {
        const char *in, *want;
    } authors[] = {
        {"Frey ME", "frey"},           {"Frey, Michael E", "frey"}, {"Frey M.E.", "frey"},
        {"FREY, M", "frey"},           {"De Palma MJ", "depalma"},  {"DePalma, M. J.", "depalma"},
        {"Müller K", "muller"},        {"Muller, K.", "muller"},
        {"Fictional Radiology Society", "fictionalradiologysociety"}, {"", ""},
    };
    for (size_t i = 0; i < sizeof authors / sizeof authors[0]; i++) {
        evs_key_author(authors[i].in, k, sizeof k);
        assert_string_equal(k, authors[i].want);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_medline),   cmocka_unit_test(test_ris),
        cmocka_unit_test(test_line_ends), cmocka_unit_test(test_broken),
        cmocka_unit_test(test_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
