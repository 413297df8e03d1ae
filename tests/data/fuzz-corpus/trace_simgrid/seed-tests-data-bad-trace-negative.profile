# Bad SimGrid profile: a negative rate.
0 125000
5 -250000
