"""Service levels: per brand and channel targets, the clock of each case, and the alarms when one is at risk."""
