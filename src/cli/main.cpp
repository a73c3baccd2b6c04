#include <cstdio>
int main() { std::puts("perfrunner skeleton"); return 0; }
