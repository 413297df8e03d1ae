# Bad SimGrid profile: a NaN rate.
0 nan
