"""dekkend's benchmarks: bundled regions, a national scale ladder, OR-Library at known optima."""
