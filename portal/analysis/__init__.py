"""Warning and prediction: the effective reproduction number (rt) and the short projection of
daily cases (projection), as pure functions of a daily incidence series."""
