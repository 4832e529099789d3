//go:build generate

// go generate sets the "generate" build tag, so this file exists only for it.

//go:generate go run ../../cmd/vssgen -spec ../../spec/ole.yaml -out .

package ole
