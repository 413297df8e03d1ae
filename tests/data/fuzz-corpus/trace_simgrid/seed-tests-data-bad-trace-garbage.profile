# Bad SimGrid profile: free text instead of 'DATE VALUE' lines.
this is not a profile
