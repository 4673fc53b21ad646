"""Thi đua – khen thưởng: emulation campaigns and the commendations that close them."""
