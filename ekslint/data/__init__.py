"""Facts encoded from ../shared/reference (each file cites its source)."""
