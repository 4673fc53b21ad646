"""Accounts: users, roles and the unit each one acts for."""
