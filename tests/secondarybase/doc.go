// Package secondarybase checks, under Wine, that generated/vss calls the
// IUnknown methods of IVssWriterComponentsExt the way Microsoft's C++
// layout of that class requires: through the object's second vtable
// pointer, with this pointing at it. tests/wine_test.go runs its Windows
// tests.
package secondarybase
