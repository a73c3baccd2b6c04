#pragma once
// The commands that read a whole results file (analyze, compare, rebuild) build a model of hundreds of MB in
// a second or two. On a kernel whose transparent huge pages are "madvise" only (Debian's default), every 4
// KiB of it is a separate page fault, a fifth of analyze's wall time on a million samples. glibc (>= 2.35)
// puts malloc on huge pages when the GLIBC_TUNABLES variable says so, and it reads the variable only as the
// process starts: so such a command starts itself once more with it.
namespace perfrunner::cli {

// Replaces the process with a fresh start of the same binary and arguments, with glibc.malloc.hugetlb=1
// added to GLIBC_TUNABLES, when that can help: glibc, huge pages in "madvise" mode, and neither the user nor
// an earlier start set the tunable. In the new process it restores the caller's GLIBC_TUNABLES (so that
// children such as Chromium inherit the environment the user gave) and returns. It returns at once when
// nothing is to be done, or when the new start fails (the command then runs as it is).
void restart_with_huge_pages(char** argv);

}  // namespace perfrunner::cli
