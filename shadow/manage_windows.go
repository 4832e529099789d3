//go:build windows

package shadow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// manage runs f with backup components initialised for backup in the
// context VSS_CTX_ALL, in which every shadow copy can be listed and
// managed, on a COM thread of its own.
func (s *Service) manage(ctx context.Context, f func(backup *vss.IVssBackupComponents) error) error {
	if err := ctx.Err(); err != nil {
		return &Error{Step: "starting", Err: context.Cause(ctx)}
	}
	thread, err := startCOM()
	if err != nil {
		return err
	}
	defer thread.stop()
	thread.run(func() {
		var backup *vss.IVssBackupComponents
		backup, err = s.newBackup()
		if err != nil {
			err = &Error{Step: "creating the backup components", Err: err}
			return
		}
		defer release(backup, "backup components of a query")
		if err = initialize(backup, vss.VSS_CTX_ALL); err != nil {
			return
		}
		err = f(backup)
	})
	return err
}

// query lists the shadow copies backup sees that f selects; volume is f's
// volume as a volume GUID path.
func query(backup *vss.IVssBackupComponents, f Filter, volume string) ([]Snapshot, error) {
	enum, err := backup.Query(vss.VSS_OBJECT_NONE, vss.VSS_OBJECT_SNAPSHOT)
	if err != nil {
		return nil, err
	}
	defer release(enum, "IVssEnumObject of Query")
	var snaps []Snapshot
	for {
		var props [16]vss.VSS_OBJECT_PROP
		n, _, err := enum.Next(uint32(len(props)), &props[0])
		for i := range props[:n] {
			if props[i].Type != vss.VSS_OBJECT_SNAPSHOT {
				continue
			}
			p := props[i].Obj.Snap()
			sn := snapshotOf(p)
			freeProps(p)
			if f.matches(sn, volume) {
				snaps = append(snaps, sn)
			}
		}
		if err != nil {
			return nil, err
		}
		if n < uint32(len(props)) {
			return snaps, nil
		}
	}
}

// snapshotOf copies p.
func snapshotOf(p *vss.VSS_SNAPSHOT_PROP) Snapshot {
	return Snapshot{
		ID:                 p.SnapshotId,
		SetID:              p.SnapshotSetId,
		SetCount:           int(p.SnapshotsCount),
		DevicePath:         windows.UTF16PtrToString(p.SnapshotDeviceObject),
		Volume:             windows.UTF16PtrToString(p.OriginalVolumeName),
		OriginatingMachine: windows.UTF16PtrToString(p.OriginatingMachine),
		ServiceMachine:     windows.UTF16PtrToString(p.ServiceMachine),
		ExposedName:        windows.UTF16PtrToString(p.ExposedName),
		ExposedPath:        windows.UTF16PtrToString(p.ExposedPath),
		Provider:           p.ProviderId,
		Attributes:         vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES(p.SnapshotAttributes),
		Created:            time.Unix(0, (p.CreationTimestamp-116444736000000000)*100), // FILETIME: 100 ns since 1601
		State:              p.Status,
	}
}

// freeProps frees the strings of p with CoTaskMemFree, as IVssEnumObject's
// Next documents, which is what VssFreeSnapshotProperties does.
func freeProps(p *vss.VSS_SNAPSHOT_PROP) {
	for _, s := range []**uint16{&p.SnapshotDeviceObject, &p.OriginalVolumeName, &p.OriginatingMachine, &p.ServiceMachine, &p.ExposedName, &p.ExposedPath} {
		if *s != nil {
			windows.CoTaskMemFree(unsafe.Pointer(*s))
			*s = nil
		}
	}
}

func (f Filter) matches(s Snapshot, volume string) bool {
	return (f.ID == windows.GUID{} || f.ID == s.ID) &&
		(f.SetID == windows.GUID{} || f.SetID == s.SetID) &&
		(volume == "" || strings.EqualFold(volume, s.Volume))
}

// resolve gives f's volume as a volume GUID path.
func (s *Service) resolve(f Filter) (string, error) {
	if f.Volume == "" {
		return "", nil
	}
	v := f.Volume
	if !strings.HasSuffix(v, `\`) {
		v += `\`
	}
	name, err := s.volumeName(v)
	if err != nil {
		return "", &Error{Step: "finding volume " + f.Volume, Err: err}
	}
	return name, nil
}

// List is the package's List, with s's backup components.
func (s *Service) List(ctx context.Context, f Filter) ([]Snapshot, error) {
	volume, err := s.resolve(f)
	if err != nil {
		return nil, err
	}
	var snaps []Snapshot
	err = s.manage(ctx, func(backup *vss.IVssBackupComponents) error {
		var err error
		if snaps, err = query(backup, f, volume); err != nil {
			return &Error{Step: "listing shadow copies", Err: err}
		}
		return nil
	})
	return snaps, err
}

// Get is the package's Get, with s's backup components.
func (s *Service) Get(ctx context.Context, id windows.GUID) (Snapshot, error) {
	snaps, err := s.List(ctx, Filter{ID: id})
	if err != nil {
		return Snapshot{}, err
	}
	if len(snaps) == 0 {
		return Snapshot{}, &Error{Step: "finding shadow copy " + id.String(), Err: vss.VSS_E_OBJECT_NOT_FOUND}
	}
	return snaps[0], nil
}

// Delete is the package's Delete, with s's backup components.
func (s *Service) Delete(ctx context.Context, f Filter) (int, error) {
	if f == (Filter{}) {
		return 0, errors.New("shadow: Delete needs a shadow copy, a set or a volume; it does not delete every shadow copy")
	}
	volume, err := s.resolve(f)
	if err != nil {
		return 0, err
	}
	deleted := 0
	err = s.manage(ctx, func(backup *vss.IVssBackupComponents) error {
		del := func(id windows.GUID, t vss.VSS_OBJECT_TYPE, what string) error {
			if skipDelete(what) {
				return nil
			}
			n, _, err := backup.DeleteSnapshots(id, t, true)
			deleted += int(n)
			if err != nil {
				return &Error{Step: "deleting " + what + " " + id.String(), Err: err}
			}
			return nil
		}
		switch {
		case f.Volume == "" && f.SetID == (windows.GUID{}):
			return del(f.ID, vss.VSS_OBJECT_SNAPSHOT, "shadow copy")
		case f.Volume == "" && f.ID == (windows.GUID{}):
			return del(f.SetID, vss.VSS_OBJECT_SNAPSHOT_SET, "shadow copy set")
		}
		snaps, err := query(backup, f, volume)
		if err != nil {
			return &Error{Step: "listing the shadow copies to delete", Err: err}
		}
		for _, sn := range snaps {
			if err := ctx.Err(); err != nil {
				return &Error{Step: fmt.Sprintf("deleting shadow copies (%d deleted)", deleted), Err: context.Cause(ctx)}
			}
			if err := del(sn.ID, vss.VSS_OBJECT_SNAPSHOT, "shadow copy"); err != nil {
				return err
			}
		}
		return nil
	})
	return deleted, err
}

// Expose is the package's Expose, with s's backup components.
func (s *Service) Expose(ctx context.Context, id windows.GUID, where string) (string, error) {
	if where == "" {
		return "", errors.New("shadow: Expose needs a drive letter or a directory")
	}
	if len(where) == 1 {
		where += ":" // a bare drive letter
	}
	var exposed string
	err := s.manage(ctx, func(backup *vss.IVssBackupComponents) error {
		var err error
		exposed, err = backup.ExposeSnapshot(id, nil, vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, &where)
		if err != nil {
			return &Error{Step: "exposing shadow copy " + id.String() + " at " + where, Err: err}
		}
		return nil
	})
	return exposed, err
}

// Unexpose is the package's Unexpose, with s's backup components.
func (s *Service) Unexpose(ctx context.Context, id windows.GUID) error {
	return s.manage(ctx, func(backup *vss.IVssBackupComponents) error {
		ex2, err := backup.QueryEx2()
		if err != nil {
			return &Error{Step: "unexposing shadow copy " + id.String(), Err: err}
		}
		defer release(ex2, "IVssBackupComponentsEx2")
		if err := ex2.UnexposeSnapshot(id); err != nil {
			return &Error{Step: "unexposing shadow copy " + id.String(), Err: err}
		}
		return nil
	})
}

// Link flags of CreateSymbolicLink.
const (
	symbolicLinkFlagDirectory               = 0x1
	symbolicLinkFlagAllowUnprivilegedCreate = 0x2
)

func linkTo(ctx context.Context, link, devicePath string) error {
	if err := ctx.Err(); err != nil {
		return &Error{Step: "linking " + link, Err: context.Cause(ctx)}
	}
	if !strings.HasPrefix(devicePath, `\\?\GLOBALROOT\Device\`) {
		return fmt.Errorf("shadow: %q is not a shadow copy's device path (\\\\?\\GLOBALROOT\\Device\\...)", devicePath)
	}
	// The trailing backslash makes the link reach the copy's root directory
	// rather than the device.
	target := strings.TrimSuffix(devicePath, `\`) + `\`
	l, err := windows.UTF16PtrFromString(link)
	if err != nil {
		return err
	}
	t, err := windows.UTF16PtrFromString(target)
	if err != nil {
		return err
	}
	err = windows.CreateSymbolicLink(l, t, symbolicLinkFlagDirectory|symbolicLinkFlagAllowUnprivilegedCreate)
	if errors.Is(err, windows.ERROR_INVALID_PARAMETER) {
		// Windows before 10 1703 refuses the unprivileged flag.
		err = windows.CreateSymbolicLink(l, t, symbolicLinkFlagDirectory)
	}
	if err != nil {
		return &Error{Step: "linking " + link + " to " + target, Err: err}
	}
	return nil
}
