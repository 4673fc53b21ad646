"""Citizen surveys (khảo sát mức độ hài lòng): building, tokens and QR codes, answers, statistics,
charts and exports."""
