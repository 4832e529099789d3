package gen

// SetOutputLimit lowers the output limit for a test; restore puts it back.
func SetOutputLimit(n int) (restore func()) {
	old := outputLimit
	outputLimit = n
	return func() { outputLimit = old }
}
