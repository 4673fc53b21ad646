"""The campaign wrap-up (tổng kết): figures, charts and the written review."""
