"""The tables' own identities (勾稽关系), as a registry of named checks.

Rules name the checks that apply to a table kind (``rules/tables.yaml``); this package
implements them. Every comparison is interval arithmetic on printed decimals: a
total is inconsistent only when its printed interval does not meet the interval of
the sum of its parts, so the tolerance widens with the number of addends.

The modules:

* ``registry``: ``CHECKS``, the ``@check`` decorator and ``check_tables``, the driver;
* ``compare``: a printed total against the sum of its parts (``sum_finding``), cell refs;
* ``sums``: within-table sums of columns (T101) and of 小计 rows (T110);
* ``hierarchy``: total row, 类/款/项 and 政府采购 levels, wrong parent (T102–T104);
* ``balance``: summary tables and fund balances (T105);
* ``economic``: economic classification sums (T106);
* ``three_public``: the 三公 table (T107);
* ``notes``: a note saying the table is empty (T109);
* ``cross``: cells across tables (``select_cell``, ``check_cross``: T108, T110).
"""

from __future__ import annotations

# importing the check modules registers their checks in CHECKS (looked up by name)
from .balance import check_fund_balance, check_summary_balance
from .compare import ref, sum_finding
from .cross import check_cross, select_cell
from .economic import check_economic_sum
from .hierarchy import check_hierarchy, check_procurement_hierarchy, check_total_row, check_wrong_parent
from .notes import check_notes
from .registry import CHECKS, TableCheck, check, check_tables, check_tables_counted
from .sums import check_column_sum, check_row_sum
from .three_public import check_three_public

__all__ = [
    "CHECKS",
    "TableCheck",
    "check",
    "check_column_sum",
    "check_cross",
    "check_economic_sum",
    "check_fund_balance",
    "check_hierarchy",
    "check_notes",
    "check_procurement_hierarchy",
    "check_row_sum",
    "check_summary_balance",
    "check_tables",
    "check_tables_counted",
    "check_three_public",
    "check_total_row",
    "check_wrong_parent",
    "ref",
    "select_cell",
    "sum_finding",
]
