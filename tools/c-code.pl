#!/usr/bin/env perl
# Prints the C code of the given files as "file:line:text" with comments and
# string/char literals blanked (line numbers kept), so that grep-based
# release checks do not match words inside comments or messages.
#   tools/c-code.pl src/*.c src/*.h | grep -E 'pattern'
use strict; use warnings;
for my $f (@ARGV) {
  open(my $fh, '<', $f) or do { warn "c-code: $f: $!\n"; next };
  local $/; my $t = <$fh>; close $fh;
  $t =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')}{
    my $m = $1; my $q = substr($m, 0, 1);
    ($q eq '"' || $q eq "'") ? $q . (' ' x (length($m) - 2)) . $q : ($m =~ tr/\n//cdr =~ s/^/ /r)
  }gse;
  my $n = 0;
  print "$f:", ++$n, ":$_\n" for split /\n/, $t, -1;
}
