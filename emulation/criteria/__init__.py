"""Criteria sets (bộ tiêu chí): groups, criteria, bonus and deduction items, their import and
export."""
