"""Campaigns (phong trào thi đua): their phases, forms, participants and lifecycle."""
