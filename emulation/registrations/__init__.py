"""Registrations (đăng ký thi đua) with quantified targets, their amendments, and personal pledges
(đăng ký nêu gương)."""
