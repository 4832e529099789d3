//go:build windows

// Command smoke shows that a Go program works in the harness's Wine prefix:
// the runtime starts (which needs ProcessPrng), the Windows version comes
// from the prefix, COM initialises, and a syscall.NewCallback function can
// be called through a function pointer, as the fake vtables are.
package main

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

func main() {
	v := windows.RtlGetVersion()
	fmt.Printf("RtlGetVersion %d.%d.%d\n", v.MajorVersion, v.MinorVersion, v.BuildNumber)
	fmt.Printf("expected %s\n", os.Getenv("VSSGEN_EXPECT_OS_VERSION"))

	if err := windows.CoInitializeEx(0, windows.COINIT_MULTITHREADED); err != nil {
		fmt.Println("CoInitializeEx:", err)
		os.Exit(1)
	}
	windows.CoUninitialize()
	fmt.Println("CoInitializeEx S_OK")

	add := syscall.NewCallback(func(a, b, c uintptr) uintptr { return a*100 + b*10 + c })
	r, _, _ := syscall.SyscallN(add, 4, 2, 7)
	fmt.Printf("callback %d\n", r)
}
