//! The thresholds of the rules, named in one place.
