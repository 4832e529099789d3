// Package realcom is the real-COM tier: its Windows tests call the stubs
// of generated/ole, the package vssgen makes from spec/ole.yaml, against
// the real implementations of ole32.dll and oleaut32.dll under Wine, with
// no fake objects. What each call must return comes from expect/expect.c,
// a C program built with mingw-w64 against the SDK headers and run under
// the same Wine: it makes the same calls through the SDK's declarations and
// prints what it observed as JSON. tests/realcom_test.go builds and runs
// both and hands that JSON to the Go tests in the environment variable
// VSSGEN_REALCOM_EXPECT.
package realcom
