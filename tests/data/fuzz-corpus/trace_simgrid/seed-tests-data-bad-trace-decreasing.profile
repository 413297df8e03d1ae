# Bad SimGrid profile: dates that go backwards (5 then 3).
0 125000
5 250000
3 125000
