// Package waitlatency measures how late IVssAsync.WaitContext of
// generated/vss returns after an operation ends. Its benchmark is Windows
// code; tests/wine_test.go runs it under Wine, once with Wine reporting
// Windows 10 (WaitContext waits in slices of Wait) and once Windows XP x64
// (it polls QueryStatus), and logs both figures for BENCHMARKS.md.
package waitlatency
