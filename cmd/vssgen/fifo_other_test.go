//go:build !unix

package main

import "errors"

func mkfifo(path string) error { return errors.New("named pipes are made on Unix only") }
