0 100
1 abc
