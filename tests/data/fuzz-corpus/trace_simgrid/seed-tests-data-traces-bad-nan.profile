0 100
1 nan
