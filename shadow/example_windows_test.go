//go:build windows

package shadow_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/vssgen/vssgen/generated/vss"
	"github.com/vssgen/vssgen/shadow"
)

// A backup of two volumes: their shadow copies exist until Close, and the
// files are read through each copy's device path.
func Example() {
	ctx := context.Background()
	set, err := shadow.Create(ctx, []string{`C:\`, `D:\`}, shadow.Options{Timeout: 5 * time.Minute})
	if errors.Is(err, vss.VSS_E_WRITER_NOT_RESPONDING) {
		log.Fatalf("a writer hangs; see vssadmin list writers: %v", err)
	}
	if err != nil {
		log.Fatal(err) // names the step, the method and the code
	}
	defer set.Close() // deletes the shadow copies

	for _, v := range set.Volumes {
		data, err := os.ReadFile(filepath.Join(v.DevicePath, `Windows\win.ini`))
		fmt.Println(v.Path, v.DevicePath, len(data), err)
	}
}

// A persistent shadow copy, listed, linked into a directory and deleted.
func ExampleList() {
	ctx := context.Background()
	set, err := shadow.Create(ctx, []string{`C:\`}, shadow.Options{Persistent: true})
	if err != nil {
		log.Fatal(err)
	}
	id := set.Volumes[0].ID
	if err := set.Close(); err != nil { // the copy stays: it is persistent
		log.Fatal(err)
	}

	copies, err := shadow.List(ctx, shadow.Filter{Volume: `C:\`})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range copies {
		fmt.Println(c.ID, c.Created, c.DevicePath)
	}

	snap, err := shadow.Get(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	if err := shadow.Link(ctx, `C:\snap`, snap.DevicePath); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(`C:\snap`)

	if _, err := shadow.Delete(ctx, shadow.Filter{ID: id}); err != nil {
		log.Fatal(err)
	}
}
