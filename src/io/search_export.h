/*
 * search_export.h -- the records of a literature search, read from the files
 * databases export:
 *
 *   MEDLINE (PubMed's "PubMed format", .nbib or .txt): "TAG - value" lines,
 *     tags padded to four characters, values continued on lines indented by
 *     six spaces, records separated by blank lines (NLM, "MEDLINE/PubMed
 *     data element (field) descriptions").  Read: PMID, TI (or BTI), AB, AU
 *     (or FAU, or CN), DP, JT (or TA), PT, and the DOI from AID or LID
 *     ("10.1097/... [doi]").
 *   RIS (Research Information Systems, as Embase, Ovid, Scopus, Cochrane,
 *     EndNote and Zotero write it): "TY  - " starts a record, "ER  - " ends
 *     it, "XX  - value" lines between, and a line without a tag continues
 *     the value before it.  Read: TY, TI (or T1), AB (or N2), AU (or A1), PY
 *     (or Y1, DA), JF/JO/T2 (or JA, J2), DO, UR, AN, M3, DB, DP.  AN is taken
 *     as the PMID only when DB or DP names PubMed or MEDLINE; a UR of
 *     doi.org or pubmed.ncbi.nlm.nih.gov gives the DOI or PMID.
 *
 * Both: UTF-8 (a byte-order mark is skipped), LF, CRLF or CR line ends.
 * Every problem is reported as FILE:LINE: message, and a file with any
 * problem gives no records: a record without a title, a tag line outside a
 * record, a record without its end, text that is not UTF-8, a NUL byte.
 */
#ifndef EVS_SEARCH_EXPORT_H
#define EVS_SEARCH_EXPORT_H

#include <stddef.h>

#include "review/problems.h"
#include "review/screening.h"

typedef enum evs_export_format {
    EVS_EXPORT_UNKNOWN,
    EVS_EXPORT_MEDLINE,
    EVS_EXPORT_RIS
} evs_export_format;

/* "MEDLINE", "RIS". */
const char *evs_export_format_name(evs_export_format f);

/*
 * Read an export held in memory.  name is the file's name in messages; its
 * base name and the record's first line go into imported_from.  Records are
 * appended to out with id "", source "PubMed" for MEDLINE and the RIS
 * file's DB (or DP) for RIS ("" when it names none), source_type database,
 * and line the record's first line.  Problems are appended to problems;
 * when there are any, nothing is appended to out.  *format (may be NULL)
 * is set to the format found.  Returns EVS_OK, EVS_EDATA, or EVS_ENOMEM when
 * out of memory.
 */
evs_status evs_export_read_buffer(const char *data, size_t len, const char *name,
                                  evs_screening_log *out, evs_problems *problems,
                                  evs_export_format *format);

/* The same from a file ("cannot open" and read errors are problems, EVS_EIO). */
evs_status evs_export_read_file(const char *path, evs_screening_log *out,
                                evs_problems *problems, evs_export_format *format);

#endif
