# Bad SimGrid profile: the rate ends at 0 and the profile does not loop, so transfers would wait forever.
0 125000
5 0
