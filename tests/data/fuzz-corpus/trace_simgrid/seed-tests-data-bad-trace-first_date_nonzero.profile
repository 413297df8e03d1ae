# Bad SimGrid profile: the first date is not 0.
2 125000
5 250000
