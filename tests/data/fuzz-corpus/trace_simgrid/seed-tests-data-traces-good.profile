# A hand-made SimGrid profile: comments, a blank line, a repeated date and LOOPAFTER.
% SimGrid also skips lines that start with '%'.

0 1000
2 3000
  2 500
5 0
LOOPAFTER 1
