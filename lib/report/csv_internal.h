/* csv_internal.h — internal: the CSV column tables, exposed for the test
 * that checks the literal header lines against them. */
#ifndef SCAR_REPORT_CSV_INTERNAL_H
#define SCAR_REPORT_CSV_INTERNAL_H

#include <stddef.h>

#include "scarscore.h"

/* Name of column k (0-based) of `table`; NULL past the last column. */
const char *scar__csv_column_name(scar_csv_table table, size_t k);

#endif
