"""Statistics used by calibration, the weekly review and experiments (plain Python)."""
