# Bad SimGrid profile: only comments, no 'DATE VALUE' line.
% nothing here
