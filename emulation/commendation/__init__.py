"""Commendation (khen thưởng): the rulebook, nominations, public posting, council meetings and
ballots, awards and their documents."""
